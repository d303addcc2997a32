package dev.rig.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.bench.Table.Row;
import dev.rig.bench.Table.Verdict;
import dev.rig.testkit.LocalRegistry;
import dev.rig.testkit.Podman;
import dev.rig.testkit.Tools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code bench/run}: builds, pushes, pulls and loads an image of real CUDA libraries with rig, and
 * measures in the same run, on the same bytes, what the machine can do (tar piped to pigz and zstd,
 * cp, sha256sum) and what the peers do (jib-core, skopeo). Prints one Markdown table.
 */
public final class Bench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String IMAGE = "bench";
  private static final String TAG = "latest";

  /** Program → Debian package, for the error when one is missing. */
  private static final Map<String, String> TOOLS = new LinkedHashMap<>();

  static {
    TOOLS.put("tar", "tar");
    TOOLS.put("pigz", "pigz");
    TOOLS.put("zstd", "zstd");
    TOOLS.put("sha256sum", "coreutils");
    TOOLS.put("cp", "coreutils");
    TOOLS.put("skopeo", "skopeo");
    TOOLS.put("podman", "podman");
    TOOLS.put("crun", "crun");
    TOOLS.put("docker-registry", "docker-registry");
    TOOLS.put("mmdebstrap", "mmdebstrap");
    TOOLS.put("umoci", "umoci");
    TOOLS.put("apt-get", "apt");
    TOOLS.put("ssh", "openssh-client");
    TOOLS.put("ssh-keygen", "openssh-client");
  }

  /** Command-line options. */
  record Options(
      long sizeMb,
      Path work,
      Path repo,
      Path cache,
      int threads,
      boolean keep,
      boolean download,
      boolean packagesOnly,
      boolean zstdOnly,
      boolean loopOnly,
      Optional<Path> seedDebs) {
    static Options parse(String[] args) {
      long sizeMb = 2000;
      Path work = Path.of(System.getProperty("java.io.tmpdir"));
      Path repo = Path.of(".");
      Path cache = Path.of(System.getProperty("user.home"), ".cache", "rig-bench");
      int threads = Runtime.getRuntime().availableProcessors();
      boolean keep = false;
      boolean download = false;
      boolean packagesOnly = false;
      boolean zstdOnly = false;
      boolean loopOnly = false;
      Optional<Path> seedDebs = Optional.empty();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--size-mb" -> sizeMb = Long.parseLong(value(args, ++i, a));
          case "--work" -> work = Path.of(value(args, ++i, a));
          case "--repo" -> repo = Path.of(value(args, ++i, a));
          case "--cache" -> cache = Path.of(value(args, ++i, a));
          case "--threads" -> threads = Integer.parseInt(value(args, ++i, a));
          case "--keep" -> keep = true;
          case "--download" -> download = true;
          case "--packages-only" -> packagesOnly = true;
          case "--zstd-only" -> zstdOnly = true;
          case "--loop" -> loopOnly = true;
          case "--seed-debs" ->
              seedDebs = Optional.of(Path.of(value(args, ++i, a)).toAbsolutePath().normalize());
          case "-h", "--help" -> {
            System.out.println(USAGE);
            System.exit(0);
          }
          default -> throw new BenchException("unknown option " + a + "\n" + USAGE);
        }
      }
      if ((packagesOnly ? 1 : 0) + (zstdOnly ? 1 : 0) + (loopOnly ? 1 : 0) > 1) {
        throw new BenchException("--packages-only, --zstd-only and --loop exclude each other");
      }
      if (seedDebs.isPresent() && !Files.isDirectory(seedDebs.get())) {
        throw new BenchException(
            "--seed-debs " + seedDebs.get() + " is not a directory; give a rig cache's debs/");
      }
      if (sizeMb < 1) {
        throw new BenchException("--size-mb must be at least 1");
      }
      return new Options(
          sizeMb,
          work.toAbsolutePath().normalize(),
          repo.toAbsolutePath().normalize(),
          cache.toAbsolutePath().normalize(),
          threads,
          keep,
          download,
          packagesOnly,
          zstdOnly,
          loopOnly,
          seedDebs);
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new BenchException(option + " needs a value");
      }
      return args[i];
    }
  }

  static final String USAGE =
      "usage: bench/run [--size-mb N] [--work DIR] [--threads N] [--cache DIR] [--keep]"
          + " [--download] [--seed-debs DIR] [--packages-only | --zstd-only | --loop]\n"
          + "  --size-mb N   size of the CUDA file tree, whole packages (default 2000)\n"
          + "  --work DIR    where the run's temp directory goes (default $TMPDIR or /tmp)\n"
          + "  --threads N   threads for the pigz / zstd references (default: all cores)\n"
          + "  --cache DIR   .deb cache (default ~/.cache/rig-bench)\n"
          + "  --keep        keep the run's directory (images, logs) instead of deleting it\n"
          + "  --download    also time fetching the .debs (rig-apt vs apt-get download; network)\n"
          + "  --packages-only  only the package rows (vs mmdebstrap + umoci, apt-get download)"
          + " and the container start row\n"
          + "  --zstd-only   only the cold zstd build row and its reference (tar | zstd)\n"
          + "  --loop        only the content loop of issue 15 on examples/gpu/rig.pkl (cold build"
          + " vs mmdebstrap + umoci, add a package, warm rebuild, load, cache growth, rig-init"
          + " footprint); also part of the default run\n"
          + "  --seed-debs DIR  pre-seed the loop's empty caches with the .debs of DIR (a rig"
          + " cache's debs/, hard links): no downloads, said in the rows";

  private final Options options;
  private final PrintStream log = System.err;
  private final List<AutoCloseable> cleanups = new ArrayList<>();
  private final AtomicBoolean cleaned = new AtomicBoolean();
  private Path runDir;
  private Proc proc;
  private Path rigPath;
  private final java.util.Set<String> rebuilt = new java.util.HashSet<>();

  private Bench(Options options) {
    this.options = options;
  }

  public static void main(String[] args) {
    int rc;
    try {
      rc = new Bench(Options.parse(args)).run();
    } catch (BenchException | AssertionError e) {
      // AssertionError: rig-testkit's way of saying a tool is missing or a command timed out.
      System.err.println("rig-bench: " + e.getMessage());
      rc = 1;
    }
    System.exit(rc);
  }

  private int run() {
    checkTools();
    Path rig = options.repo().resolve("rig");
    rigPath = rig;
    if (!Files.isExecutable(rig)) {
      throw new BenchException(rig + " is missing; pass --repo (bench/run does)");
    }
    Thread hook = new Thread(this::cleanUp, "rig-bench-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      Files.createDirectories(options.work());
      runDir = Files.createTempDirectory(options.work(), "rig-bench-");
      proc = new Proc(runDir.resolve("logs"));
      measure(rig);
      return 0;
    } catch (IOException e) {
      throw new BenchException(e.toString(), e);
    } finally {
      cleanUp();
    }
  }

  private void checkTools() {
    List<String> missing = new ArrayList<>();
    List<String> packages = new ArrayList<>();
    TOOLS.forEach(
        (program, pkg) -> {
          boolean needed = !options.zstdOnly() || program.equals("tar") || program.equals("zstd");
          if (needed && Tools.find(program).isEmpty()) {
            missing.add(program);
            if (!packages.contains(pkg)) {
              packages.add(pkg);
            }
          }
        });
    if (!missing.isEmpty()) {
      throw new BenchException(
          "missing programs: "
              + String.join(", ", missing)
              + "; install them with: apt-get install "
              + String.join(" ", packages));
    }
  }

  private void measure(Path rig) throws IOException {
    if (options.packagesOnly()) {
      Table table = new Table();
      packagesAndStart(table, rig, Duration.ofMinutes(15));
      printShort(table);
      return;
    }
    if (options.loopOnly()) {
      Table table = new Table();
      loop(table, rig);
      printShort(table);
      return;
    }
    Duration heavy = Duration.ofMinutes(Math.max(10, options.sizeMb() * 30 / 2000));
    Duration light = Duration.ofMinutes(3);
    int threads = options.threads();

    step("preparing the input: CUDA libraries from Debian " + CudaTree.SUITE);
    CudaTree.Built tree =
        new CudaTree(options.cache(), log, proc).build(options.sizeMb(), runDir.resolve("tree"));
    log.printf(
        Locale.ROOT,
        "  %d packages, %s of files%n",
        tree.packages().size(),
        Table.mb(tree.bytes()));
    Path spec = writeSpec(tree);
    String treeDir = tree.dir().toString();
    long raw = tree.bytes();

    step("building the rig command line if needed");
    proc.run(List.of(rig.toString(), "--version"), Duration.ofMinutes(15)).ok();

    Table table = new Table();
    if (options.zstdOnly()) {
      // The tree is read once before timing, as the full run's earlier references do.
      proc.shell("tar -C " + q(treeDir) + " -cf - . >/dev/null", heavy).ok();
      double zstd = zstdReference(treeDir, threads, heavy);
      Path outZstd = runDir.resolve("out-zstd");
      double coldZstd = coldZstd(rig, spec, runDir.resolve("cache-zstd"), outZstd, heavy);
      Fs.deleteTree(outZstd);
      table.add(coldZstdRow(raw, coldZstd, zstd, threads));
      printShort(table);
      return;
    }

    // References first: they also bring the tree into the page cache for everyone after them.
    step("reference: tar | sha256sum");
    double sha =
        proc.shell("tar -C " + q(treeDir) + " -cf - . | sha256sum >/dev/null", heavy)
            .ok()
            .seconds();
    step("reference: cp -a");
    Path copy = runDir.resolve("tree-copy");
    double cp = proc.shell("cp -a " + q(treeDir) + " " + q(copy.toString()), heavy).ok().seconds();
    Fs.deleteTree(copy);
    step("reference: tar | pigz -p" + threads + " -6");
    double pigz =
        proc.shell(
                "tar -C " + q(treeDir) + " -cf - . | pigz -p" + threads + " -6 >/dev/null", heavy)
            .ok()
            .seconds();
    double zstd = zstdReference(treeDir, threads, heavy);

    Path cacheGzip = runDir.resolve("cache-gzip");
    Path outGzip = runDir.resolve("out-gzip");
    List<String> build = RigBuild.command(rig, spec, cacheGzip, "oci:" + outGzip);
    step("rig: cold build, gzip");
    double coldGzip = rig("cold gzip", build, heavy).seconds();
    step("rig: warm rebuild");
    double warm = rig("warm", build, light).seconds();
    Path changed = Fs.smallFile(tree.packageDirs().values().iterator().next());
    step("rig: one-file change (" + tree.dir().relativize(changed) + ")");
    Files.writeString(
        changed,
        "\n# rig-bench " + System.nanoTime() + "\n",
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);
    Files.setLastModifiedTime(changed, FileTime.from(Instant.now()));
    double oneFile = rig("one file", build, light).seconds();

    Path cacheZstd = runDir.resolve("cache-zstd");
    Path outZstd = runDir.resolve("out-zstd");
    double coldZstd = coldZstd(rig, spec, cacheZstd, outZstd, heavy);

    step("peer: jib-core, cold, same layers");
    JibPeer.Result jib = jib(tree, heavy);

    long imageGzip = layerBytes(outGzip);
    long imageZstd = layerBytes(outZstd);
    Fs.deleteTree(outZstd);

    table.add(
        new Row(
            "cold build, gzip",
            OptionalDouble.of(coldGzip),
            noted("cold gzip", Table.rate(raw, coldGzip)),
            OptionalDouble.of(pigz),
            "tar | pigz -p" + threads + " -6, " + Table.rate(raw, pigz),
            "≤ 1.3× limit",
            Verdict.of(coldGzip <= 1.3 * pigz)));
    table.add(
        new Row(
            "cold build, gzip, vs jib-core",
            OptionalDouble.of(coldGzip),
            noted("cold gzip", ""),
            OptionalDouble.of(jib.seconds()),
            "jib-core " + "0.28.1" + " to a tar, in-process",
            "faster than jib",
            Verdict.of(coldGzip < jib.seconds())));
    table.add(coldZstdRow(raw, coldZstd, zstd, threads));
    table.add(
        new Row(
            "warm rebuild, no change",
            OptionalDouble.of(warm),
            noted("warm", ""),
            OptionalDouble.empty(),
            "",
            "≤ 1.5 s",
            Verdict.of(warm <= 1.5)));
    table.add(
        new Row(
            "one-file change",
            OptionalDouble.of(oneFile),
            noted("one file", ""),
            OptionalDouble.empty(),
            "",
            "≤ 2 s",
            Verdict.of(oneFile <= 2.0)));

    registryAndLoad(table, rig, spec, cacheGzip, outGzip, imageGzip, light, heavy);

    if (options.download()) {
      download(table, tree, heavy);
    }
    table.add(
        new Row(
            "copy the tree",
            OptionalDouble.empty(),
            "",
            OptionalDouble.of(cp),
            "cp -a, " + Table.rate(raw, cp),
            "",
            Verdict.NONE));
    table.add(
        new Row(
            "hash the tree",
            OptionalDouble.empty(),
            "",
            OptionalDouble.of(sha),
            "tar | sha256sum, " + Table.rate(raw, sha),
            "",
            Verdict.NONE));
    packagesAndStart(table, rig, heavy);
    loop(table, rig);

    printReport(tree, raw, imageGzip, imageZstd, jib, table);
  }

  /** The content loop of issue 15 on the README's GPU example. */
  private void loop(Table table, Path rig) throws IOException {
    Path example = options.repo().resolve("examples/gpu/rig.pkl");
    if (!Files.isRegularFile(example)) {
      throw new BenchException(example + " is missing; the loop builds the README's GPU example");
    }
    step("content loop: the README's GPU example (" + example + ")");
    new ContentLoop(
            new ContentLoop.Settings(
                runDir.resolve("loop"), rig, example, options.seedDebs(), Duration.ofMinutes(30)),
            proc,
            log)
        .run(table);
  }

  /** The machine line and the table, for the runs that print nothing else. */
  private void printShort(Table table) throws IOException {
    System.out.println();
    System.out.println("- machine: " + Machine.describe());
    System.out.println();
    System.out.print(table.markdown());
    save("- machine: " + Machine.describe() + "\n\n" + table.markdown());
  }

  /**
   * Writes the report to a file under --work (outside the run's directory, which is deleted), so
   * that a run's table outlives its terminal.
   */
  private void save(String report) throws IOException {
    String stamp =
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC)
            .format(Instant.now());
    Path file = options.work().resolve("rig-bench-" + stamp + ".md");
    Path temp = options.work().resolve(".rig-bench-" + stamp + ".md.tmp");
    Files.writeString(temp, report, StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    log.println("rig-bench: table written to " + file);
  }

  private double zstdReference(String treeDir, int threads, Duration timeout) {
    step("reference: tar | zstd -T" + threads + " -3");
    return proc.shell(
            "tar -C " + q(treeDir) + " -cf - . | zstd -q -T" + threads + " -3 -c >/dev/null",
            timeout)
        .ok()
        .seconds();
  }

  /** A zstd build into an empty cache (deleted afterwards); the image stays in {@code out}. */
  private double coldZstd(Path rig, Path spec, Path cache, Path out, Duration timeout)
      throws IOException {
    step("rig: cold build, zstd");
    double seconds =
        rig(
                "cold zstd",
                RigBuild.command(rig, spec, cache, "oci:" + out, "--compression", "zstd"),
                timeout)
            .seconds();
    Fs.deleteTree(cache);
    return seconds;
  }

  private Row coldZstdRow(long raw, double coldZstd, double zstd, int threads) {
    return new Row(
        "cold build, zstd",
        OptionalDouble.of(coldZstd),
        noted("cold zstd", Table.rate(raw, coldZstd)),
        OptionalDouble.of(zstd),
        "tar | zstd -T" + threads + " -3, " + Table.rate(raw, zstd),
        "≤ 1.3× limit",
        Verdict.of(coldZstd <= 1.3 * zstd));
  }

  /**
   * The package rows (rig beside mmdebstrap + umoci and apt-get download) and the start row, which
   * runs the package image they build. Both need the machine's mirror.
   */
  private void packagesAndStart(Table table, Path rig, Duration timeout) throws IOException {
    step("packages: a small Debian image with sshd (python3), rig vs mmdebstrap + umoci");
    PackageBench.Built image =
        new PackageBench(runDir.resolve("packages"), rig, proc, log, timeout).run(table);
    step("container start → sshd accepting (median of " + SshStart.RUNS + ")");
    Podman podman = Podman.create(runDir.resolve("podman-ssh"));
    SshStart.Result start = new SshStart(podman, runDir.resolve("ssh"), proc, log).measure(image);
    table.add(
        new Row(
            "container start → sshd accepting",
            OptionalDouble.of(start.rig()),
            "podman run -d to a finished ssh login; rig-init reports services ready after "
                + start.initReadyMs().stream().map(ms -> ms + " ms").toList(),
            OptionalDouble.of(start.reference()),
            "same image, sh entrypoint: host key + exec sshd",
            "≤ 1 s",
            Verdict.of(start.rig() <= 1.0)));
  }

  private void registryAndLoad(
      Table table,
      Path rig,
      Path spec,
      Path cache,
      Path out,
      long imageBytes,
      Duration light,
      Duration heavy)
      throws IOException {
    step("starting two local registries (rig's and skopeo's)");
    LocalRegistry rigRegistry = LocalRegistry.start(runDir.resolve("registry-rig"));
    cleanups.add(rigRegistry);
    LocalRegistry skopeoRegistry = LocalRegistry.start(runDir.resolve("registry-skopeo"));
    cleanups.add(skopeoRegistry);
    String rigRef = rigRegistry.host() + "/bench/img:" + TAG;
    List<String> push =
        List.of(
            rig.toString(),
            "push",
            "-f",
            spec.toString(),
            "--to",
            rigRef,
            "--cache",
            cache.toString(),
            "--json");
    step("rig: cold push");
    Proc.Result first = rig("cold push", push, heavy);
    double coldPush = first.seconds();
    long firstBytes = bytesUploaded(first.stdout());
    step("rig: re-push");
    Proc.Result again = rig("re-push", push, light);
    double rePush = again.seconds();
    long reBytes = bytesUploaded(again.stdout());

    String source = "oci:" + out + ":" + IMAGE + ":" + TAG;
    String skopeoRef = "docker://" + skopeoRegistry.host() + "/bench/img:" + TAG;
    step("peer: skopeo copy to a fresh registry");
    double skopeoPush =
        proc.run(
                List.of("skopeo", "copy", "--quiet", "--dest-tls-verify=false", source, skopeoRef),
                heavy)
            .ok()
            .seconds();
    step("peer: skopeo copy again");
    double skopeoRePush =
        proc.run(
                List.of("skopeo", "copy", "--quiet", "--dest-tls-verify=false", source, skopeoRef),
                light)
            .ok()
            .seconds();
    step("pull back with skopeo");
    Path pulled = runDir.resolve("pulled");
    double pull =
        proc.run(
                List.of(
                    "skopeo",
                    "copy",
                    "--quiet",
                    "--src-tls-verify=false",
                    "docker://" + rigRef,
                    "oci:" + pulled + ":" + IMAGE + ":" + TAG),
                heavy)
            .ok()
            .seconds();
    Fs.deleteTree(pulled);
    rigRegistry.close();
    skopeoRegistry.close();

    table.add(
        new Row(
            "cold push to a local registry",
            OptionalDouble.of(coldPush),
            noted("cold push", Table.mb(firstBytes) + " sent, " + Table.rate(imageBytes, coldPush)),
            OptionalDouble.of(skopeoPush),
            "skopeo copy oci: → docker://, " + Table.rate(imageBytes, skopeoPush),
            "≤ skopeo",
            Verdict.of(coldPush <= skopeoPush)));
    table.add(
        new Row(
            "re-push, no change",
            OptionalDouble.of(rePush),
            noted("re-push", reBytes + " B sent"),
            OptionalDouble.of(skopeoRePush),
            "skopeo copy again",
            "≤ 1 s, 0 B",
            Verdict.of(rePush <= 1.0 && reBytes == 0)));
    table.add(
        new Row(
            "pull back (skopeo, rig's image)",
            OptionalDouble.empty(),
            "rig has no pull",
            OptionalDouble.of(pull),
            "skopeo copy docker:// → oci:, " + Table.rate(imageBytes, pull),
            "",
            Verdict.NONE));

    step("rig: load into podman");
    Podman podman = Podman.create(runDir.resolve("podman"));
    String rigImage = "localhost/" + IMAGE + ":" + TAG;
    String skopeoImage = "localhost/" + IMAGE + "-skopeo:" + TAG;
    cleanups.add(() -> podman.run(Duration.ofMinutes(2), "rmi", "-f", rigImage, skopeoImage));
    podman.run(Duration.ofMinutes(2), "rmi", "-f", rigImage, skopeoImage);
    double load =
        rig(
                "load",
                List.of(
                    rig.toString(),
                    "load",
                    "-f",
                    spec.toString(),
                    "--runtime",
                    podman.launcher().toString(),
                    "--cache",
                    cache.toString(),
                    "-q"),
                heavy)
            .seconds();
    podman.run(Duration.ofMinutes(2), "rmi", "-f", rigImage);
    step("peer: skopeo copy into podman's storage");
    double skopeoLoad =
        proc.run(
                List.of("skopeo", "copy", "--quiet", source, "containers-storage:" + skopeoImage),
                podman.environment(),
                null,
                heavy)
            .ok()
            .seconds();
    podman.run(Duration.ofMinutes(2), "rmi", "-f", skopeoImage);
    table.add(
        new Row(
            "load into podman",
            OptionalDouble.of(load),
            noted("load", ""),
            OptionalDouble.of(skopeoLoad),
            "skopeo copy oci: → containers-storage:",
            "",
            Verdict.NONE));
  }

  /**
   * The download row: rig-apt reading the trixie indexes and fetching the packages into an empty
   * cache, against apt-get update + apt-get download with a throw-away apt state for the same suite
   * and packages. Both go to the machine's mirror, so both are network bound.
   */
  private void download(Table table, CudaTree.Built tree, Duration timeout) throws IOException {
    long debBytes = tree.packages().stream().mapToLong(CudaTree.Entry::size).sum();
    step("download: rig-apt, empty cache (indexes + .debs)");
    Path rigCache = runDir.resolve("download-rig");
    CudaTree fetcher = new CudaTree(options.cache(), log, proc);
    long start = System.nanoTime();
    withTimeout(
        "the rig-apt download",
        () -> {
          fetcher.fetchCold(tree.packages(), rigCache);
          return null;
        },
        timeout);
    double rigSeconds = (System.nanoTime() - start) / 1e9;
    Fs.deleteTree(rigCache);

    step("download peer: apt-get update + apt-get download");
    Path apt = runDir.resolve("download-apt");
    Path debs = Files.createDirectories(apt.resolve("debs"));
    AptGet aptGet = AptGet.prepare(apt, CudaTree.SUITE, CudaTree.COMPONENTS);
    List<String> update = aptGet.update();
    List<String> get =
        aptGet.download(tree.packages().stream().map(e -> e.name() + "=" + e.version()).toList());
    double aptSeconds = proc.run(update, Map.of(), apt, timeout).ok().seconds();
    aptSeconds += proc.run(get, Map.of(), debs, timeout).ok().seconds();
    Fs.deleteTree(apt);
    table.add(
        new Row(
            "download the .debs (indexes + packages)",
            OptionalDouble.of(rigSeconds),
            Table.mb(debBytes) + ", " + Table.rate(debBytes, rigSeconds),
            OptionalDouble.of(aptSeconds),
            "apt-get update + download, " + Table.rate(debBytes, aptSeconds),
            "",
            Verdict.NONE));
  }

  private JibPeer.Result jib(CudaTree.Built tree, Duration timeout) {
    return withTimeout(
        "the jib-core build",
        () ->
            JibPeer.build(
                tree.packageDirs(), runDir.resolve("jib-cache"), runDir.resolve("jib.tar")),
        timeout);
  }

  private void printReport(
      CudaTree.Built tree,
      long raw,
      long imageGzip,
      long imageZstd,
      JibPeer.Result jib,
      Table table)
      throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    out.println();
    out.println("## rig benchmark");
    out.println();
    out.println("- machine: " + Machine.describe());
    out.println(
        "- input: "
            + tree.packages().size()
            + " packages from Debian "
            + CudaTree.SUITE
            + " non-free ("
            + String.join(", ", tree.packages().stream().map(CudaTree.Entry::name).toList())
            + "), "
            + Table.mb(raw)
            + " of files (--size-mb "
            + options.sizeMb()
            + "), one layer per package");
    out.println(
        String.format(
            Locale.ROOT,
            "- image size: gzip %s (%.1f%% of the raw tree), zstd %s (%.1f%%); jib-core's tar %s"
                + " (%d files, %d symlinks left out: Jib has none)",
            Table.mb(imageGzip),
            100.0 * imageGzip / raw,
            Table.mb(imageZstd),
            100.0 * imageZstd / raw,
            Table.mb(jib.tarBytes()),
            jib.files(),
            jib.skippedSymlinks()));
    out.println(
        "- rig runs as `./rig …` subprocesses (JVM start included); jib-core runs inside this"
            + " already-warm JVM");
    out.println();
    out.print(table.markdown());
    out.flush();
    String report = buffer.toString(StandardCharsets.UTF_8);
    System.out.print(report);
    save(report);
  }

  private Path writeSpec(CudaTree.Built tree) throws IOException {
    StringBuilder yaml = new StringBuilder();
    yaml.append("# Written by rig-bench: one layer per CUDA package.\n");
    yaml.append("images:\n");
    yaml.append("  ").append(IMAGE).append(":\n");
    yaml.append("    tag: \"").append(TAG).append("\"\n");
    yaml.append("    maxLayers: 127\n");
    yaml.append("    copyToRoot:\n");
    for (Path dir : tree.packageDirs().values()) {
      yaml.append("      - { source: \"").append(dir).append("\", target: \"/\" }\n");
    }
    Path spec = runDir.resolve("rig.yaml");
    Files.writeString(spec, yaml.toString());
    return spec;
  }

  /** Total compressed layer bytes of the one image in an OCI layout. */
  static long layerBytes(Path layout) throws IOException {
    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    String digest = index.path("manifests").path(0).path("digest").asText();
    Path manifest = layout.resolve("blobs").resolve(digest.replace(':', '/'));
    long total = 0;
    for (JsonNode layer : JSON.readTree(manifest.toFile()).path("layers")) {
      total += layer.path("size").asLong();
    }
    return total;
  }

  /** Sums {@code bytesUploaded} over {@code rig push --json}'s {@code pushed} array. */
  static long bytesUploaded(String json) throws IOException {
    JsonNode root = JSON.readTree(json);
    long total = 0;
    for (JsonNode pushed : root.path("pushed")) {
      total += pushed.path("bytesUploaded").asLong();
    }
    return total;
  }

  /**
   * Runs a timed {@code ./rig} command. ./rig rebuilds itself when a source changed, so it is run
   * once untimed just before; a rebuild that still lands inside the timed run (sources edited
   * meanwhile) marks the figure.
   */
  private Proc.Result rig(String label, List<String> command, Duration timeout) {
    proc.run(List.of(rigPath.toString(), "--version"), Duration.ofMinutes(15)).ok();
    Proc.Result r = proc.run(command, timeout).ok();
    if (r.stderr().contains("building the command line")) {
      rebuilt.add(label);
      log.println("rig-bench: warning: ./rig rebuilt itself during \"" + label + "\"");
    }
    return r;
  }

  /** {@code note}, marked when rig rebuilt itself during the step {@code label}. */
  private String noted(String label, String note) {
    if (!rebuilt.contains(label)) {
      return note;
    }
    return (note.isEmpty() ? "" : note + ", ") + "† includes a rebuild of rig";
  }

  private <T> T withTimeout(String what, java.util.concurrent.Callable<T> task, Duration timeout) {
    ExecutorService one = Executors.newSingleThreadExecutor();
    try {
      return one.submit(task).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new BenchException(what + " did not finish within " + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchException("interrupted during " + what);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new BenchException(what + " failed: " + e.getCause(), e.getCause());
    } finally {
      one.shutdownNow();
    }
  }

  private void step(String what) {
    log.println("rig-bench: " + what);
  }

  private static String q(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private void cleanUp() {
    if (!cleaned.compareAndSet(false, true)) {
      return;
    }
    // Interrupted mid-step: stop what this run started (by PID), before deleting its files.
    ProcessHandle.current().descendants().forEach(Proc::killTree);
    for (int i = cleanups.size() - 1; i >= 0; i--) {
      try {
        cleanups.get(i).close();
      } catch (Exception e) {
        log.println("rig-bench: cleanup: " + e);
      }
    }
    if (runDir != null) {
      if (options.keep()) {
        log.println("rig-bench: kept " + runDir);
      } else {
        try {
          Fs.deleteTreeUnlessMounted(runDir);
        } catch (IOException e) {
          log.println("rig-bench: could not delete " + runDir + ": " + e);
        }
      }
    }
  }
}
