package dev.rig.build.packages;

import dev.rig.apt.deb.DebUnpacker;
import dev.rig.apt.deb.UnpackedDeb;
import dev.rig.apt.repo.IndexCache;
import dev.rig.apt.resolve.Request;
import dev.rig.build.event.BuildEvent;
import dev.rig.build.event.BuildListener;
import dev.rig.build.lock.ImageLock;
import dev.rig.build.lock.LockInput;
import dev.rig.build.lock.LockStore;
import dev.rig.build.lock.LockedPackage;
import dev.rig.build.runtime.RuntimeLayer;
import dev.rig.oci.digest.Digest;
import dev.rig.oci.io.AtomicFiles;
import dev.rig.oci.io.Tasks;
import dev.rig.oci.io.TempNames;
import dev.rig.spec.ImageSpec;
import dev.rig.spec.SlimSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * rig-init's Java runtime, trimmed to the modules rig-init uses: jlink, run inside the sandbox from
 * the image's locked JDK and jmods (a build-tool set in rig.lock, unpacked into a temporary root of
 * its own beside the image), writes it; the image carries only the result, never a JRE package.
 * Keyed by the tool set's .deb hashes and the options, so an unchanged lock links once.
 */
public final class LinkedJava {
  /**
   * What rig-init's jar needs ({@code jdeps --print-module-deps} on it): sun.misc.Signal is in
   * jdk.unsupported.
   */
  public static final List<String> MODULES = List.of("java.base", "jdk.unsupported");

  /** X25519 (age secrets) and Ed25519 live here up to JDK 21; JDK 22 moved them to java.base. */
  static final String EC_MODULE = "jdk.crypto.ec";

  /**
   * Strips the linked libraries' symbol tables (Debian leaves libjvm.so's: 1.4 MB of a gzipped
   * layer). A tool set package, so that the locked strip runs in the sandbox, never the host's.
   */
  static final String STRIP_PACKAGE = "binutils";

  /** Bump when the way a runtime is linked changes, so old ones are not reused. */
  private static final String FORMAT = "rig-java/4";

  private static final byte[] CLASS_LIST = classList();

  private static final Pattern JRE = Pattern.compile("openjdk-(\\d+)-jre(-headless)?");

  /** The tools root needs no docs, man pages or locales: it is never part of an image. */
  private static final SlimSpec TOOLS_SLIM = new SlimSpec(true, true, true);

  private final Path cacheRoot;
  private final Instant created;
  private final PackageInstaller installer;
  private final LockStore locks;
  private final BuildListener listener;

  /**
   * The index files and parsed records the image's own resolve keeps: the tool set is resolved from
   * the same indexes, up to three times (a metapackage, the JDK, without -jmods), and each would
   * otherwise fetch, decompress and parse them again (about 4 s a time for Debian's main).
   */
  private final Optional<IndexCache> indexes;

  LinkedJava(
      Path cacheRoot,
      Instant created,
      PackageInstaller installer,
      LockStore locks,
      IndexCache indexes,
      BuildListener listener) {
    this.cacheRoot = cacheRoot.toAbsolutePath();
    this.indexes = Optional.of(indexes);
    this.created = created;
    this.installer = installer;
    this.locks = locks;
    this.listener = listener;
  }

  /** What the scope of the linking's phases ends with: {@code gpu (rig-init's Java)}. */
  static final String SCOPE_SUFFIX = " (rig-init's Java)";

  /**
   * {@code to}, with the scope of every phase event ({@code gpu}) made the Java's own ({@code gpu
   * (rig-init's Java)}); other events (cache use, by image) pass as they are.
   */
  static BuildListener scoped(BuildListener to) {
    return event -> {
      if (event instanceof BuildEvent.PhaseStarted e) {
        to.on(
            new BuildEvent.PhaseStarted(
                e.scope() + SCOPE_SUFFIX, e.phase(), e.total(), e.unit(), e.detail()));
      } else if (event instanceof BuildEvent.PhaseProgress e) {
        to.on(
            new BuildEvent.PhaseProgress(
                e.scope() + SCOPE_SUFFIX, e.phase(), e.done(), e.total(), e.unit(), e.item()));
      } else if (event instanceof BuildEvent.PhaseDone e) {
        to.on(
            new BuildEvent.PhaseDone(
                e.scope() + SCOPE_SUFFIX,
                e.phase(),
                e.took(),
                e.count(),
                e.bytes(),
                e.cached(),
                e.summary()));
      } else {
        to.on(event);
      }
    };
  }

  /**
   * The locked JDK and jmods for {@code spec}'s javaPackage, resolved now when rig.lock has none.
   */
  ImageLock lock(ImageSpec spec, List<RepoSource> sources) throws IOException {
    String java = spec.runtime().javaPackage();
    LockInput input = PackageResolver.input(List.of(java, STRIP_PACKAGE), sources, false);
    return locks.toolsFor(
        spec.name(),
        input,
        pins -> {
          // Reported as a phase: on a fresh cache this is where the indexes are fetched and parsed
          // (the image's own resolve then reads them from the index cache).
          long start = System.nanoTime();
          listener.on(
              new BuildEvent.PhaseStarted(
                  spec.name(), BuildEvent.Phase.RESOLVE, 0, BuildEvent.Unit.ITEMS, ""));
          List<String> requests =
              new ArrayList<>(jdkRequests(spec.name(), java, sources, pins, indexes));
          requests.add(STRIP_PACKAGE);
          requests.addAll(pins);
          ImageLock fresh;
          try {
            fresh = PackageResolver.resolve(spec.name(), requests, sources, false, indexes);
          } catch (PackageNotFoundException e) {
            // Up to OpenJDK 21 Debian ships the jmods in the JDK package itself.
            if (!e.name().endsWith("-jmods")) {
              throw e;
            }
            requests.removeIf(r -> r.endsWith("-jmods"));
            fresh = PackageResolver.resolve(spec.name(), requests, sources, false, indexes);
          }
          listener.on(
              BuildEvent.PhaseDone.ran(
                  spec.name(),
                  BuildEvent.Phase.RESOLVE,
                  start,
                  fresh.packages().size(),
                  0,
                  "the JDK and strip: " + fresh.packages().size() + " build-tool packages"));
          return new ImageLock(input, fresh.packages(), fresh.indexes());
        });
  }

  /** The directory holding the linked runtime (bin/java, lib/...), from the cache or linked now. */
  Path link(ImageSpec spec, List<RepoSource> sources) throws IOException {
    ImageLock tools = lock(spec, sources);
    int feature = feature(spec.name(), tools);
    Path runtimes = Files.createDirectories(cacheRoot.resolve("java"));
    Path done = runtimes.resolve(key(tools));
    // Reported whether linked now or reused: gc keeps the runtimes recent builds used, and the
    // tool set's .debs and unpacked trees, so that a new rig (another rig-init, another runtime
    // key) links again without downloading and decompressing the JDK again.
    listener.on(new BuildEvent.CacheUsed(spec.name(), done));
    PackageInstaller.reportPackages(listener, spec.name(), cacheRoot, tools.packages());
    if (Files.isDirectory(done)) {
      return done.resolve("java");
    }
    long start = System.nanoTime();
    Path rootDir = runtimes.resolve(TempNames.prefix() + "root-" + UUID.randomUUID());
    Path work = runtimes.resolve(TempNames.prefix() + UUID.randomUUID());
    try {
      Path root = unpackTools(spec.name(), tools, sources, rootDir);
      return link(spec, feature, modules(root, feature), root, work, done, start);
    } finally {
      PackageInstaller.deleteTree(rootDir);
      PackageInstaller.deleteTree(work);
    }
  }

  /**
   * A sandbox in the tools root, mounted read-only: its files are hard links into the cache's
   * unpacked trees (see {@link #unpackTools}), and jlink, strip and java write only to their
   * outputs. At the lowest CPU priority: the link runs beside the image's install and is needed
   * only for the runtime layer, at the end.
   */
  private Sandbox tools(Path root) throws PackageException {
    return Sandbox.of(root, created.getEpochSecond()).readOnly().niced();
  }

  /** The JDK's path in the tools root. */
  private static String jdk(int feature) {
    return "/usr/lib/jvm/java-" + feature + "-openjdk-" + PackageResolver.ARCHITECTURE;
  }

  /** {@link #MODULES}, and the EC module where this JDK still has one. */
  private static List<String> modules(Path root, int feature) {
    List<String> modules = new ArrayList<>(MODULES);
    if (Files.exists(root.resolve(jdk(feature).substring(1) + "/jmods/" + EC_MODULE + ".jmod"))) {
      modules.add(EC_MODULE);
    }
    return modules;
  }

  /**
   * The tool set's files written into {@code dir} as {@code dpkg-deb -x} would write them, with no
   * dpkg run: jlink, java and strip need their files and libraries only, none of what the packages'
   * maintainer scripts make (alternatives, the JDK's own CDS archive, a keystore). So this costs
   * one decompression per package and no script, and the unpacked trees are the cache's (shared
   * with the image's first stage, which unpacks the same libc and friends). The root's files are
   * hard links to those trees, not copies (thousands of new inodes, and a temp tree to delete, cost
   * seconds where a file system has many recently deleted files), so the tools run in it read-only.
   */
  private Path unpackTools(String image, ImageLock tools, List<RepoSource> sources, Path dir)
      throws IOException {
    Map<LockedPackage, Path> debs = installer.download(image, tools.packages(), sources);
    long start = System.nanoTime();
    listener.on(
        new BuildEvent.PhaseStarted(
            image, BuildEvent.Phase.UNPACK, debs.size(), BuildEvent.Unit.ITEMS, ""));
    Files.createDirectories(dir);
    // Decoded by the tool set's own dpkg-deb (it holds the Essential set), as the image's are.
    DecoderRoot decoder = DecoderRoot.forDebs(cacheRoot, debs, created.getEpochSecond());
    // Off the critical path (the runtime layer needs the link only at the end), so it yields: one
    // thread, its decoders at the lowest priority, while the image's decoding and dpkg run.
    DebUnpacker unpacker = new DebUnpacker(cacheRoot, decoder.nicedDecoder());
    ExecutorService pool = Tasks.daemonPool("rig-java-unpack", 1);
    try (decoder) {
      // The largest first, so that no core is left with the JDK at the end.
      List<LockedPackage> bySize = new ArrayList<>(tools.packages());
      bySize.sort(Comparator.comparingLong(LockedPackage::size).reversed());
      Map<LockedPackage, Future<UnpackedDeb>> unpacked = new HashMap<>();
      for (LockedPackage p : bySize) {
        unpacked.put(p, pool.submit(() -> unpacker.unpack(debs.get(p), p.sha256())));
      }
      // Written in lock order, so that a path two packages share is the same on every build.
      RootfsWriter writer = new RootfsWriter(dir, SlimRules.keeps(TOOLS_SLIM)).linking();
      int written = 0;
      for (LockedPackage p : tools.packages()) {
        writer.write(Tasks.await(unpacked.get(p), "unpacking rig-init's Java tools"));
        listener.on(
            new BuildEvent.PhaseProgress(
                image,
                BuildEvent.Phase.UNPACK,
                ++written,
                debs.size(),
                BuildEvent.Unit.ITEMS,
                p.name()));
      }
    } finally {
      pool.shutdownNow();
    }
    listener.on(
        BuildEvent.PhaseDone.ran(
            image,
            BuildEvent.Phase.UNPACK,
            start,
            debs.size(),
            0,
            debs.size() + " packages unpacked for jlink (no dpkg, no scripts)"));
    return dir;
  }

  /**
   * Links, strips and archives the runtime in {@code work} from the tools {@code root}, and commits
   * it to {@code done}.
   */
  private Path link(
      ImageSpec spec,
      int feature,
      List<String> modules,
      Path root,
      Path work,
      Path done,
      long start)
      throws IOException {
    String jdk = jdk(feature);
    Files.createDirectories(work);
    Sandbox.Result linked =
        tools(root).runWithOutputs(command(jdk, modules), Map.of("/tmp/rig-out", work), 600);
    if (linked.exitCode() != 0 || !Files.isRegularFile(work.resolve("java/bin/java"))) {
      throw new PackageException(
          "image '"
              + spec.name()
              + "': jlink could not link rig-init's Java runtime from "
              + jdk
              + " (exit "
              + linked.exitCode()
              + "); set runtime.javaPackage to an OpenJDK 21 or newer"
              + " (openjdk-21-jre-headless), or report it. Its output:\n"
              + linked.output().strip());
    }
    strip(spec.name(), root, work);
    archive(spec.name(), root, work);
    AtomicFiles.commitDirectory(work, done);
    listener.on(
        BuildEvent.PhaseDone.ran(
            spec.name(),
            BuildEvent.Phase.INSTALL,
            start,
            modules.size(),
            0,
            "linked by jlink (" + String.join(", ", modules) + "), stripped, CDS archived"));
    return done.resolve("java");
  }

  /**
   * jlink's options: no Java debug attributes (the native libraries' symbols go in {@link #strip}),
   * headers or man pages; the module image left uncompressed (the layer's compression, across
   * files, makes it smaller than jlink's per-class zip: 8.1 MB against 11.7 MB gzipped, and it maps
   * without inflating); and the JDK's classes' CDS archive, so rig-init starts without parsing
   * them. jlink's own JVM runs on C1 alone with the serial collector: it runs a few seconds beside
   * the image's install, where C2's compiling would only take a core from dpkg (two links: 6.7 →
   * 6.3 s on an idle machine).
   */
  static List<String> command(String jdk, List<String> modules) {
    return List.of(
        jdk + "/bin/jlink",
        "-J-XX:-UsePerfData",
        "-J-XX:TieredStopAtLevel=1",
        "-J-XX:+UseSerialGC",
        "--module-path",
        jdk + "/jmods",
        "--add-modules",
        String.join(",", modules),
        "--output",
        "/tmp/rig-out/java",
        "--strip-java-debug-attributes",
        "--no-header-files",
        "--no-man-pages");
  }

  /**
   * Removes the symbol tables of the runtime's native code with the tool set's strip (the dynamic
   * symbols that linking needs stay). Before the class archive, which is dumped by this libjvm.
   */
  private void strip(String image, Path toolsRoot, Path work) throws IOException {
    List<String> command = new ArrayList<>(List.of("/usr/bin/strip", "--strip-unneeded"));
    Path java = work.resolve("java");
    try (var files = Files.walk(java)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".so")).sorted().toList()) {
        command.add("/tmp/rig-out/" + work.relativize(f));
      }
    }
    Sandbox.Result stripped =
        tools(toolsRoot).runWithOutputs(command, Map.of("/tmp/rig-out", work), 300);
    if (stripped.exitCode() != 0) {
      throw new PackageException(
          "image '"
              + image
              + "': strip (from the locked "
              + STRIP_PACKAGE
              + ") failed on rig-init's Java (exit "
              + stripped.exitCode()
              + "); run `rig lock "
              + image
              + "` to lock the build tools again. Its output:\n"
              + stripped.output().strip());
    }
  }

  /**
   * Writes java/lib/rig-init.jsa into {@code work}: a static CDS archive of the JDK and rig-init
   * classes that rig-init's commands load, so they start from mapped, pre-parsed classes. The class
   * list is a fixed resource, not recorded here by running rig-init: which classes a run loads
   * varies with thread timing, and the archive must be a function of the list, the jar and the JDK
   * alone (then two builds write the same bytes). The jar sits at its image path with the layer's
   * mtime, as the JVM checks both before using the archive.
   */
  private void archive(String image, Path toolsRoot, Path work) throws IOException {
    Path jarDir = Files.createDirectories(work.resolve("jar"));
    Path jar = jarDir.resolve("rig-init.jar");
    Files.write(jar, RuntimeLayer.jar());
    Files.setLastModifiedTime(jar, FileTime.from(created));
    Path lists = Files.createDirectories(work.resolve("lists"));
    Files.write(lists.resolve("classlist"), CLASS_LIST);
    String java = "/tmp/rig-out/java/bin/java";
    Sandbox sandbox = tools(toolsRoot);
    Path rigDir = Path.of(RuntimeLayer.JAR).getParent();
    Sandbox.Result dumped =
        sandbox.run(
            List.of(
                java,
                "-Xshare:dump",
                "-XX:SharedClassListFile=/tmp/rig-lists/classlist",
                "-XX:SharedArchiveFile=/tmp/rig-out/java/lib/rig-init.jsa",
                "-cp",
                RuntimeLayer.JAR),
            Map.of(rigDir.toString(), jarDir),
            Map.of("/tmp/rig-out", work, "/tmp/rig-lists", lists),
            300);
    if (dumped.exitCode() != 0 || !Files.isRegularFile(work.resolve("java/lib/rig-init.jsa"))) {
      throw new PackageException(
          "image '"
              + image
              + "': the linked Java could not write rig-init's CDS archive (exit "
              + dumped.exitCode()
              + "): "
              + dumped.output().strip());
    }
    PackageInstaller.deleteTree(jarDir);
    PackageInstaller.deleteTree(lists);
  }

  private static byte[] classList() {
    try (InputStream in = LinkedJava.class.getResourceAsStream("/rig/runtime/rig-init.classlist")) {
      if (in == null) {
        throw new IllegalStateException("rig-init.classlist is missing from rig's resources");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The requests that bring the JDK and jmods of the javaPackage's OpenJDK. */
  private static List<String> jdkRequests(
      String image,
      String java,
      List<RepoSource> sources,
      List<String> pins,
      Optional<IndexCache> indexes)
      throws IOException {
    String name = Request.parse(java).name();
    Optional<String> feature = feature(name);
    if (feature.isEmpty()) {
      // A metapackage (default-jre-headless): which OpenJDK it brings decides the JDK.
      List<String> requests = new ArrayList<>(List.of(java));
      requests.addAll(pins);
      ImageLock jre = PackageResolver.resolve(image, requests, sources, false, indexes);
      feature =
          jre.packages().stream().map(p -> feature(p.name())).flatMap(Optional::stream).findFirst();
    }
    String n =
        feature.orElseThrow(
            () ->
                new PackageException(
                    "image '"
                        + image
                        + "': runtime.javaPackage '"
                        + java
                        + "' brings no OpenJDK (openjdk-N-jre-headless), which rig-init's Java is"
                        + " linked from; set runtime.javaPackage to openjdk-21-jre-headless"));
    return List.of(java, "openjdk-" + n + "-jdk-headless", "openjdk-" + n + "-jmods");
  }

  private static Optional<String> feature(String packageName) {
    Matcher m = JRE.matcher(packageName);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  private static int feature(String image, ImageLock tools) throws PackageException {
    return tools.packages().stream()
        .map(p -> feature(p.name()))
        .flatMap(Optional::stream)
        .map(Integer::parseInt)
        .findFirst()
        .orElseThrow(
            () ->
                new PackageException(
                    "image '"
                        + image
                        + "': rig.lock's build tools hold no OpenJDK; run `rig lock "
                        + image
                        + "`"));
  }

  private String key(ImageLock tools) {
    StringBuilder text = new StringBuilder(FORMAT).append('\n');
    text.append("modules ").append(MODULES).append('\n');
    text.append("rig-init ").append(Digest.of(RuntimeLayer.jar()).hex()).append('\n');
    text.append("classes ").append(Digest.of(CLASS_LIST).hex()).append('\n');
    text.append("epoch ").append(created.getEpochSecond()).append('\n');
    tools.packages().stream()
        .map(LockedPackage::sha256)
        .sorted()
        .forEach(line -> text.append(line).append('\n'));
    return Digest.of(text.toString().getBytes(StandardCharsets.UTF_8)).hex();
  }
}
