package dev.rig.build.python;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.build.event.BuildEvent;
import dev.rig.build.event.BuildListener;
import dev.rig.build.lock.ImageLock;
import dev.rig.build.lock.LockStore;
import dev.rig.build.lock.LockedPackage;
import dev.rig.build.lock.LockedWheel;
import dev.rig.build.lock.WheelInput;
import dev.rig.build.lock.WheelLock;
import dev.rig.build.packages.PackageResolver;
import dev.rig.build.packages.Sandbox;
import dev.rig.oci.digest.Digest;
import dev.rig.oci.io.AtomicFiles;
import dev.rig.oci.io.TempNames;
import dev.rig.oci.layer.LayerInput;
import dev.rig.oci.net.NetSettings;
import dev.rig.oci.net.RetryListener;
import dev.rig.oci.net.RetryingGet;
import dev.rig.python.index.Credentials;
import dev.rig.python.index.IndexClient;
import dev.rig.python.index.PackageIndex;
import dev.rig.python.install.IndexCredentials;
import dev.rig.python.install.InstalledDistribution;
import dev.rig.python.install.VenvLayers;
import dev.rig.python.install.VenvLayout;
import dev.rig.python.install.VenvSkeleton;
import dev.rig.python.install.WheelDownload;
import dev.rig.python.install.WheelFetcher;
import dev.rig.python.install.WheelInstaller;
import dev.rig.python.resolve.PythonTarget;
import dev.rig.python.resolve.Resolution;
import dev.rig.python.resolve.ResolutionException;
import dev.rig.python.resolve.WheelResolver;
import dev.rig.spec.ImageSpec;
import dev.rig.spec.PythonSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The Python part of a build: the image's wheels from rig.lock (recorded from the user's hashed
 * lock when the lock has none yet), fetched and verified into the cache, installed by rig into a
 * venv kept in the cache ({@code venvs/}, keyed by everything that decides its bytes),
 * byte-compiled in the sandbox by the image's own Python, and split into layers.
 */
public final class PythonStage {
  /**
   * Layers reserved for the venv out of {@code maxLayers} whenever an image has one: a fixed
   * number, so that changing requirements never moves the package layers' split.
   */
  public static final int LAYERS = 8;

  /** Bump when the way a venv is made changes, so old cached venvs are not reused. */
  private static final String FORMAT = "rig-venv/1";

  private static final String VENVS = "venvs";
  private static final String WHEELS = "wheels";
  private static final String INSTALLED = "installed.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path cacheDir;
  private final Instant created;
  private final LockStore locks;
  private final BuildListener listener;
  private final Map<String, String> env;

  public PythonStage(
      Path cacheDir,
      Instant created,
      LockStore locks,
      BuildListener listener,
      Map<String, String> env) {
    this.cacheDir = cacheDir.toAbsolutePath();
    this.created = created;
    this.locks = locks;
    this.listener = listener;
    this.env = Map.copyOf(env);
  }

  /** The variables an image with a venv gets: the venv first on PATH, VIRTUAL_ENV naming it. */
  public static Map<String, String> env(ImageSpec spec, Map<String, String> imageEnv) {
    PythonSpec python = spec.python();
    if (!python.enable()) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    String path = imageEnv.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    out.put("PATH", python.venv() + "/bin:" + path);
    out.put("VIRTUAL_ENV", python.venv());
    return out;
  }

  /** The image's locked wheels, recorded now when rig.lock has none for this input. */
  public WheelLock lock(ImageSpec spec, ImageLock packages) throws IOException {
    return lock(spec, packages, true);
  }

  /**
   * The wheels {@link #lock} recorded for this build, for what reads the image afterwards (the
   * SBOM): the same lookup, without a second resolve phase in the build's report.
   */
  public WheelLock locked(ImageSpec spec, ImageLock packages) throws IOException {
    return lock(spec, packages, false);
  }

  private WheelLock lock(ImageSpec spec, ImageLock packages, boolean report) throws IOException {
    PythonSpec python = spec.python();
    Interpreter interpreter = Interpreter.of(spec.name(), packages);
    List<String> requirements = Requirements.of(python);
    String userLock = "";
    if (python.lockFile().isPresent()) {
      if (!requirements.isEmpty()) {
        throw new PythonException(
            "image '"
                + spec.name()
                + "': python.lockFile is set together with requirements; a lock already says"
                + " every wheel: keep the lockFile alone, or drop it and let rig lock the"
                + " requirements");
      }
      userLock = Digest.of(Files.readAllBytes(python.lockFile().get())).hex();
    }
    List<String> indexes =
        python.indexes().stream().map(IndexCredentials::withoutCredentials).toList();
    WheelInput input = new WheelInput(interpreter.id(), requirements, indexes, userLock);
    long start = System.nanoTime();
    boolean[] resolved = {false};
    WheelLock lock =
        locks.wheelsFor(
            spec.name(),
            input,
            () -> {
              resolved[0] = true;
              if (python.lockFile().isEmpty()) {
                return new WheelLock(
                    input, resolve(spec.name(), requirements, python, interpreter, indexes));
              }
              return new WheelLock(
                  input,
                  new UserLock(pages(python), fetcher(python), interpreter.target())
                      .record(python.lockFile().get(), indexes));
            });
    if (!report) {
      return lock;
    }
    listener.on(
        new BuildEvent.PhaseDone(
            spec.name(),
            BuildEvent.Phase.RESOLVE,
            Duration.ofNanos(System.nanoTime() - start),
            lock.wheels().size(),
            0,
            !resolved[0],
            lock.wheels().size()
                + " wheel(s) "
                + (resolved[0]
                    ? "locked from "
                        + python.lockFile().map(Path::getFileName).orElse(Path.of("requirements"))
                    : "from rig.lock")));
    return lock;
  }

  /** The wheels {@code requirements} need on the image, from rig's resolver. */
  private List<LockedWheel> resolve(
      String image,
      List<String> requirements,
      PythonSpec python,
      Interpreter interpreter,
      List<String> indexes)
      throws IOException {
    IndexCredentials credentials = credentials(python);
    List<PackageIndex> packageIndexes = new ArrayList<>();
    for (String index : indexes) {
      URI url = URI.create(index);
      packageIndexes.add(
          new PackageIndex(
              url, credentials.forUri(url).map(c -> new Credentials(c.user(), c.password()))));
    }
    PythonTarget target = interpreter.target();
    Resolution resolution;
    try {
      resolution =
          new WheelResolver(
                  new IndexClient(
                      httpClient(),
                      NetSettings.fromEnvironment(),
                      retries(),
                      Optional.of(cacheDir.resolve(WHEELS))))
              .resolve(requirements, target, packageIndexes);
    } catch (ResolutionException e) {
      throw new PythonException(
          "image '" + image + "': the Python requirements cannot be locked: " + e.getMessage());
    }
    List<LockedWheel> wheels = new ArrayList<>();
    for (var w : resolution.wheels()) {
      wheels.add(
          new LockedWheel(
              w.name(),
              w.version(),
              w.filename(),
              IndexCredentials.withoutCredentials(w.url().toString()),
              w.size(),
              w.sha256(),
              w.requiredBy()));
    }
    return wheels;
  }

  /**
   * The venv's layers, at most {@link #LAYERS}.
   *
   * @param root the image's configured package root (its python3 compiles the bytecode)
   */
  public List<LayerInput> layers(ImageSpec spec, Path root, ImageLock packages) throws IOException {
    PythonSpec python = spec.python();
    Interpreter interpreter = Interpreter.of(spec.name(), packages);
    VenvLayout layout =
        new VenvLayout(python.venv(), interpreter.version(), "/usr/bin/" + interpreter.program());
    WheelLock lock = lock(spec, packages);
    List<WheelDownload> downloads = new ArrayList<>();
    for (LockedWheel w : lock.wheels()) {
      downloads.add(new WheelDownload(w.filename(), URI.create(w.url()), w.size(), w.sha256()));
    }
    long start = System.nanoTime();
    WheelFetcher.Fetched fetched = fetcher(python).fetchAll(downloads);
    listener.on(
        new BuildEvent.PhaseDone(
            spec.name(),
            BuildEvent.Phase.DOWNLOAD,
            Duration.ofNanos(System.nanoTime() - start),
            downloads.size(),
            fetched.bytes(),
            fetched.fetched() == 0,
            downloads.size()
                + " wheel(s) verified, "
                + (fetched.fetched() == 0
                    ? "all from the cache"
                    : fetched.fetched() + " fetched (" + fetched.bytes() / 1024 + " KiB)")));
    fetched.files().values().forEach(f -> listener.on(new BuildEvent.CacheUsed(spec.name(), f)));
    Path pip = pipWheel(spec.name(), root);
    List<Path> wheels = new ArrayList<>();
    wheels.add(pip);
    downloads.forEach(d -> wheels.add(fetched.files().get(d)));
    List<String> names = new ArrayList<>();
    names.add(pip.getFileName().toString());
    downloads.forEach(d -> names.add(d.fileName()));
    String key = key(layout, python.bytecode(), interpreter, pip, downloads);
    Path venvs = Files.createDirectories(cacheDir.resolve(VENVS));
    Path done = venvs.resolve(key);
    listener.on(new BuildEvent.CacheUsed(spec.name(), done));
    if (!Files.isDirectory(done)) {
      build(spec.name(), root, layout, python.bytecode(), wheels, names, venvs, done);
    } else {
      listener.on(
          new BuildEvent.PhaseDone(
              spec.name(),
              BuildEvent.Phase.INSTALL,
              Duration.ZERO,
              wheels.size(),
              0,
              true,
              "venv " + layout.venv() + " with " + wheels.size() + " wheel(s), cached"));
    }
    List<InstalledDistribution> installed =
        JSON.readValue(
            done.resolve(INSTALLED).toFile(), new TypeReference<List<InstalledDistribution>>() {});
    return VenvLayers.split(done.resolve("venv"), layout, installed, LAYERS);
  }

  private void build(
      String image,
      Path root,
      VenvLayout layout,
      boolean bytecode,
      List<Path> wheels,
      List<String> names,
      Path venvs,
      Path done)
      throws IOException {
    long start = System.nanoTime();
    Path work = venvs.resolve(TempNames.prefix() + UUID.randomUUID());
    try {
      Path venv = work.resolve("venv");
      VenvSkeleton.write(venv, layout);
      List<InstalledDistribution> installed =
          new WheelInstaller(layout).install(venv, wheels, names);
      if (bytecode) {
        compile(image, root, layout, venv);
      }
      Files.write(work.resolve(INSTALLED), JSON.writeValueAsBytes(installed));
      AtomicFiles.commitDirectory(work, done);
    } finally {
      deleteTree(work);
    }
    listener.on(
        new BuildEvent.PhaseDone(
            image,
            BuildEvent.Phase.INSTALL,
            Duration.ofNanos(System.nanoTime() - start),
            wheels.size(),
            0,
            false,
            "venv "
                + layout.venv()
                + ": "
                + wheels.size()
                + " wheel(s) installed by rig"
                + (bytecode ? ", bytecode compiled by the image's " + layout.interpreter() : "")));
  }

  /**
   * Byte-compiles site-packages with the image's own interpreter in the sandbox: unchecked-hash
   * .pyc files hold the source's hash instead of its time, and PYTHONHASHSEED=0 fixes the order of
   * frozen sets in constants, so the bytes are the same on every build. The venv is mounted under
   * /tmp and named by its image path in the .pyc files.
   */
  private void compile(String image, Path root, VenvLayout layout, Path venv) throws IOException {
    String mount = "/tmp/rig-venv";
    List<String> command =
        List.of(
            "/usr/bin/env",
            "PYTHONHASHSEED=0",
            layout.interpreter(),
            "-B",
            "-m",
            "compileall",
            "-q",
            "-f",
            "--invalidation-mode",
            "unchecked-hash",
            "-s",
            mount,
            "-p",
            layout.venv(),
            mount + "/" + layout.sitePackages());
    Sandbox.Result result =
        Sandbox.of(root, created.getEpochSecond())
            .runWithOutputs(command, Map.of(mount, venv), 1800);
    // compileall exits 1 when a file does not compile (a Python 2 test file in a wheel): pip
    // installs such wheels too, and Python never imports those files.
    if (result.exitCode() != 0 && result.exitCode() != 1) {
      throw new PythonException(
          "image '"
              + image
              + "': compiling the venv's bytecode with "
              + layout.interpreter()
              + " failed (exit "
              + result.exitCode()
              + "); set python.bytecode = false to leave it out. Its output:\n"
              + result.output().strip());
    }
  }

  /** Debian's pip wheel (python3-pip-whl), installed into the venv so `pip` works there. */
  private static Path pipWheel(String image, Path root) throws IOException {
    Path dir = root.resolve("usr/share/python-wheels");
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        Optional<Path> pip =
            files
                .filter(f -> f.getFileName().toString().matches("pip-[0-9].*\\.whl"))
                .min(Comparator.naturalOrder());
        if (pip.isPresent()) {
          return pip.get();
        }
      }
    }
    throw new PythonException(
        "image '"
            + image
            + "': the image has no pip wheel in /usr/share/python-wheels; python3-venv brings it"
            + " through python3-pip-whl: check that packages do not pin an interpreter without it");
  }

  private String key(
      VenvLayout layout,
      boolean bytecode,
      Interpreter interpreter,
      Path pip,
      List<WheelDownload> wheels)
      throws IOException {
    StringBuilder text = new StringBuilder(FORMAT).append('\n');
    text.append(layout).append('\n');
    text.append("bytecode ").append(bytecode).append('\n');
    text.append("interpreter ").append(interpreter.id()).append('\n');
    text.append("epoch ").append(created.getEpochSecond()).append('\n');
    text.append("pip ").append(Digest.of(Files.readAllBytes(pip)).hex()).append('\n');
    wheels.forEach(w -> text.append(w.fileName()).append(' ').append(w.sha256()).append('\n'));
    return Digest.of(text.toString().getBytes(StandardCharsets.UTF_8)).hex();
  }

  private WheelFetcher fetcher(PythonSpec python) throws IOException {
    return new WheelFetcher(cacheDir.resolve(WHEELS), get(), credentials(python), 4);
  }

  private IndexPages pages(PythonSpec python) throws IOException {
    return new IndexPages(get(), credentials(python));
  }

  private IndexCredentials credentials(PythonSpec python) throws IOException {
    return IndexCredentials.of(python.indexes(), env, IndexCredentials.defaultNetrc(env));
  }

  private RetryingGet get() {
    return new RetryingGet(
        httpClient(), NetSettings.fromEnvironment(), Duration.ofMinutes(10), retries());
  }

  private static HttpClient httpClient() {
    return HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(Duration.ofSeconds(30))
        .build();
  }

  /** Each retry as a notice, its URL without credentials. */
  private RetryListener retries() {
    return (what, attempt, delay, cause) ->
        listener.on(
            new BuildEvent.Notice(
                "python",
                IndexCredentials.withoutCredentials(what)
                    + ": "
                    + cause
                    + ", trying again in "
                    + delay.toMillis()
                    + " ms (attempt "
                    + (attempt + 1)
                    + ")",
                false));
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Hex of bytes, for tests and messages. */
  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * The image's interpreter, from its locked packages: {@code python3.X} and its version.
   *
   * @param program e.g. {@code python3.13}
   * @param debianVersion e.g. {@code 3.13.5-2}
   */
  record Interpreter(String program, String debianVersion, String glibc) {
    static Interpreter of(String image, ImageLock packages) throws PythonException {
      String glibc =
          packages.packages().stream()
              .filter(p -> p.name().equals("libc6"))
              .map(p -> p.version().replaceAll("^[0-9]+:", "").split("-")[0])
              .findFirst()
              .orElse("2.17");
      return packages.packages().stream()
          .filter(p -> p.name().matches("python3\\.[0-9]+"))
          .max(Comparator.comparing(LockedPackage::name))
          .map(p -> new Interpreter(p.name(), p.version(), glibcMinor(glibc)))
          .orElseThrow(
              () ->
                  new PythonException(
                      "image '"
                          + image
                          + "': its packages have no python3.X interpreter; python.interpreter"
                          + " must name a package that brings one (python3)"));
    }

    private static String glibcMinor(String version) {
      String[] parts = version.split("\\.");
      return parts.length >= 2 ? parts[0] + "." + parts[1].replaceAll("[^0-9].*", "") : "2.17";
    }

    /** {@code 3.13.5}: the upstream part of the Debian version. */
    String version() {
      return debianVersion.replaceAll("^[0-9]+:", "").split("[-+~]")[0];
    }

    String id() {
      return program + "=" + debianVersion;
    }

    /** What markers and wheel tags are evaluated against: this interpreter on the image. */
    PythonTarget target() {
      return PythonTarget.of(version(), PackageResolver.ARCHITECTURE, glibc);
    }
  }
}
