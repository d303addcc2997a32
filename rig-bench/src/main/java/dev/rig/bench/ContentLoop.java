package dev.rig.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.bench.Table.Row;
import dev.rig.bench.Table.Unit;
import dev.rig.bench.Table.Verdict;
import dev.rig.testkit.LocalRegistry;
import dev.rig.testkit.Podman;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The content loop of issue 15, on the README's GPU example (copied into a project directory of the
 * run): cold build beside mmdebstrap + umoci, with the machine's busy and idle core-seconds on each
 * side (a CPU-bound build gains only from less work) and where rig's time goes, one package added
 * and rebuilt (and compared with a clean build of the new spec), a warm rebuild, loading into
 * podman beside skopeo, the cache's growth, and what rig-init costs in the image and in the
 * container.
 *
 * <p>Every figure is read from what rig does in this run (its {@code --json}, its image, the
 * running container); where rig does not offer a feature yet the row says n/a instead of failing.
 */
final class ContentLoop {
  /** The package the add-one-package row appends to the example's list. */
  static final String ADDED = "htop";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int EXEC_RUNS = 5;

  /**
   * @param dir where the loop's projects, caches, images and podman store go
   * @param rig the {@code ./rig} launcher
   * @param example the README's GPU example spec
   * @param seedDebs a .deb cache (files named by their sha256) hard-linked into the cold caches
   */
  record Settings(Path dir, Path rig, Path example, Optional<Path> seedDebs, Duration timeout) {}

  private final Settings settings;
  private final Proc proc;
  private final PrintStream log;

  ContentLoop(Settings settings, Proc proc, PrintStream log) {
    this.settings = settings;
    this.proc = proc;
    this.log = log;
  }

  void run(Table table) throws IOException {
    Path dir = Files.createDirectories(settings.dir());
    Podman podman = Podman.createWithPrivateStore(dir.resolve("podman"));
    try {
      measure(table, dir, podman);
    } finally {
      // The store's overlay mounts go with it; a plain delete of its files would hit them. The
      // reset removes the store's own run root and temp dir (never the machine's /run/libpod).
      podman.run(Duration.ofMinutes(2), "rm", "-af", "-t", "0");
      podman.run(Duration.ofMinutes(5), "system", "reset", "-f");
      // Logged, not thrown: an exception here would hide the one the measurement ended with.
      try {
        if (podman.runtimeDir().isPresent()) {
          Fs.deleteTreeUnlessMounted(podman.runtimeDir().get());
        }
      } catch (IOException e) {
        log.println("rig-bench: cleanup: " + e.getMessage());
      }
    }
  }

  private void measure(Table table, Path dir, Podman podman) throws IOException {
    Path project = Files.createDirectories(dir.resolve("project"));
    Path spec = project.resolve("rig.pkl");
    Files.copy(settings.example(), spec);
    Path cache = dir.resolve("cache");
    String seeded = seed(cache);
    Path out = dir.resolve("out");

    // 1. Cold build.
    step("cold build of the GPU example" + (seeded.isEmpty() ? " (packages from the mirror)" : ""));
    Optional<CpuTime> coldCpuStart = CpuTime.now();
    Proc.Result coldRun = rig("cold", buildJson(spec, cache, out), project);
    Optional<CpuTime.Spent> coldCpu = CpuTime.since(coldCpuStart);
    BuildReport cold = BuildReport.parse(coldRun.stdout());
    BuildReport.Image image =
        cold.images().stream()
            .findFirst()
            .orElseThrow(() -> new BenchException("rig build --json listed no image"));
    Path gpuLock = dir.resolve("rig.lock.gpu");
    Files.copy(project.resolve("rig.lock"), gpuLock, StandardCopyOption.REPLACE_EXISTING);
    long cacheAfterGpu = DiskUsage.of(cache);
    OptionalDouble rigCacheAfterGpu = rigCacheTotal(cache, project);

    // 3. Warm rebuild, as a user runs it: no -q, so the lines it prints count.
    step("warm rebuild, nothing changed");
    Proc.Result warm =
        rig(
            "warm",
            List.of(
                settings.rig().toString(),
                "build",
                "-f",
                spec.toString(),
                "--cache",
                cache.toString(),
                "--out",
                "oci:" + out),
            project);
    long warmLines = (warm.stdout() + warm.stderr()).lines().filter(l -> !l.isBlank()).count();

    // 4. Load and shell, against skopeo copying rig's own layout; every load into an empty store.
    Loads loads =
        attempt("load", () -> loads(podman, spec, cache, out, image.name(), project))
            .orElse(Loads.FAILED);

    // 2. One package added, rebuilt on the same cache; then the new spec from an empty cache
    //    with the same rig.lock.
    Files.copy(settings.example(), project.resolve("example.pkl"));
    Files.writeString(spec, LoopSpecs.withPackage("example.pkl", image.name(), ADDED));
    step("add " + ADDED + " and rebuild");
    Added added =
        attempt("add " + ADDED, () -> addPackage(spec, cache, out, project))
            .orElse(new Added(OptionalDouble.empty(), Optional.empty(), "failed (see the log)"));
    long cacheAfterSecond = DiskUsage.of(cache);
    OptionalDouble rigCacheAfterSecond = rigCacheTotal(cache, project);
    Optional<String> fresh =
        added.digest().isEmpty()
            ? Optional.empty()
            : attempt("clean build", () -> cleanBuild(dir, project, cache, image.name()))
                .flatMap(d -> d);

    // 1. The reference for the cold build: the same package list by mmdebstrap + umoci.
    step("mmdebstrap + umoci, the same package list");
    List<MmdebstrapUmoci.Package> packages = lockedPackages(gpuLock, image.name());
    Optional<MmdebstrapUmoci.Result> peer =
        attempt(
            "mmdebstrap + umoci",
            () ->
                new MmdebstrapUmoci(dir.resolve("mmdebstrap"), proc, settings.timeout())
                    .build(
                        packages,
                        seeded.isEmpty()
                            ? Optional.empty()
                            : Optional.of(seedFor(packages, cache))));

    // 6. The footprint, on the example with sshd moved to a free loopback port.
    Footprint footprint =
        attempt("footprint", () -> footprint(dir, podman, cache, gpuLock, image.name()))
            .orElse(Footprint.unmeasured());

    addRows(
        table,
        seeded,
        coldRun.seconds(),
        coldCpu,
        cold,
        packages.size(),
        peer,
        added,
        fresh,
        warm.seconds(),
        warmLines,
        loads,
        cacheAfterGpu,
        cacheAfterSecond,
        rigCacheAfterGpu,
        rigCacheAfterSecond,
        footprint);
  }

  private void addRows(
      Table table,
      String seeded,
      double coldSeconds,
      Optional<CpuTime.Spent> coldCpu,
      BuildReport cold,
      int packageCount,
      Optional<MmdebstrapUmoci.Result> peer,
      Added added,
      Optional<String> fresh,
      double warmSeconds,
      long warmLines,
      Loads loads,
      long cacheAfterGpu,
      long cacheAfterSecond,
      OptionalDouble rigCacheAfterGpu,
      OptionalDouble rigCacheAfterSecond,
      Footprint footprint) {
    Goal coldGoal = Goal.ratioAtMost(0.8);
    OptionalDouble reference =
        peer.map(p -> OptionalDouble.of(p.seconds())).orElse(OptionalDouble.empty());
    table.add(
        new Row(
            "loop 1: cold build, GPU example (" + packageCount + " packages)",
            OptionalDouble.of(coldSeconds),
            (seeded.isEmpty() ? "empty cache, .debs from the mirror" : seeded)
                + coldCpu.map(c -> "; " + c.text()).orElse(""),
            reference,
            peer.map(
                    p ->
                        String.format(
                            Locale.ROOT,
                            "mmdebstrap %.1f s + umoci unpack/repack %.1f s%s%s",
                            p.mmdebstrap(),
                            p.umoci(),
                            seeded.isEmpty() ? "" : ", apt archive seeded with the same .debs",
                            p.cpu().map(c -> "; " + c.text()).orElse("")))
                .orElse("mmdebstrap + umoci failed (see the log)"),
            coldGoal.text(),
            coldGoal.judge(OptionalDouble.of(coldSeconds), reference)));
    for (BuildReport.Phase phase : cold.phases()) {
      table.add(
          new Row(
              "  ↳ " + phase.name() + (phase.scope().isEmpty() ? "" : " (" + phase.scope() + ")"),
              OptionalDouble.of(phase.seconds()),
              LoopMath.share(phase.seconds(), coldSeconds) + (phase.cached() ? ", cached" : ""),
              OptionalDouble.empty(),
              "",
              "",
              Verdict.NONE));
    }
    Goal addGoal = Goal.atMost(15, "≤ 15 s");
    table.add(
        new Row(
            "loop 2: add " + ADDED + ", rebuild",
            added.seconds(),
            added.note(),
            OptionalDouble.empty(),
            "",
            addGoal.text(),
            addGoal.judge(added.seconds(), OptionalDouble.empty())));
    table.add(
        new Row(
            "loop 2: its digest = clean build of the new spec",
            OptionalDouble.empty(),
            added.digest().map(LoopMath::shortDigest).orElse("no digest"),
            OptionalDouble.empty(),
            fresh
                .map(d -> "empty cache (.debs only), same rig.lock: " + LoopMath.shortDigest(d))
                .orElse("not built"),
            "identical",
            added.digest().isPresent() && fresh.isPresent()
                ? Verdict.of(added.digest().equals(fresh))
                : Verdict.NOT_MEASURED));
    Goal warmGoal = Goal.atMost(1.0, "≤ 1.0 s");
    table.add(
        new Row(
            "loop 3: warm rebuild, no change",
            OptionalDouble.of(warmSeconds),
            "JVM included, " + warmLines + " line" + (warmLines == 1 ? "" : "s") + " printed",
            OptionalDouble.empty(),
            "",
            warmGoal.text(),
            warmGoal.judge(OptionalDouble.of(warmSeconds), OptionalDouble.empty())));
    Goal loadGoal = Goal.ratioAtMost(0.8);
    table.add(
        new Row(
            "loop 4: rig load into podman (cold store)",
            loads.load(),
            "",
            loads.skopeo(),
            "skopeo copy oci:" + loads.skopeoSource() + " → containers-storage:",
            loadGoal.text(),
            loadGoal.judge(loads.load(), loads.skopeo())));
    Goal shellGoal = Goal.ratioAtMost(1.0);
    table.add(
        new Row(
            "loop 4: rig shell NAME true, fresh image",
            loads.shell(),
            "build from cache + load + run",
            loads.skopeo(),
            "the skopeo copy above",
            shellGoal.text(),
            shellGoal.judge(loads.shell(), loads.skopeo())));
    Goal growthGoal = Goal.atMost(300e6, "≤ 300 MB");
    long growth = cacheAfterSecond - cacheAfterGpu;
    table.add(
        new Row(
            "loop 5: cache growth, second image (+ " + ADDED + ")",
            OptionalDouble.of(growth),
            "du, hard links once: "
                + Table.mb(cacheAfterGpu)
                + " → "
                + Table.mb(cacheAfterSecond)
                + "; rig cache: "
                + LoopMath.orNa(rigCacheAfterGpu, v -> Table.mb((long) v))
                + " → "
                + LoopMath.orNa(rigCacheAfterSecond, v -> Table.mb((long) v)),
            OptionalDouble.empty(),
            "",
            growthGoal.text(),
            growthGoal.judge(OptionalDouble.of(growth), OptionalDouble.empty()),
            Unit.MB));
    footprint.addRows(table);
  }

  /** The clean build's digest, from a second cache that holds only the first one's .debs. */
  private Optional<String> cleanBuild(Path dir, Path project, Path cache, String name)
      throws IOException {
    step("the new spec from an empty cache, same rig.lock");
    Path project2 = Files.createDirectories(dir.resolve("project-fresh"));
    for (String f : List.of("rig.pkl", "example.pkl", "rig.lock")) {
      Files.copy(project.resolve(f), project2.resolve(f));
    }
    Path cache2 = Files.createDirectories(dir.resolve("cache-fresh"));
    Path out2 = dir.resolve("out-fresh");
    // Only the verified .debs are shared (hard links): nothing rig made from them.
    proc.run(
            List.of(
                "cp", "-al", cache.resolve("debs").toString(), cache2.resolve("debs").toString()),
            Duration.ofMinutes(5))
        .ok();
    try {
      Proc.Result clean =
          rig("fresh", buildJson(project2.resolve("rig.pkl"), cache2, out2), project2);
      return BuildReport.parse(clean.stdout()).image(name).map(BuildReport.Image::digest);
    } finally {
      Fs.deleteTree(cache2);
      Fs.deleteTree(out2);
    }
  }

  /** A step that may fail without stopping the loop: its rows then say n/a. */
  private <T> Optional<T> attempt(String what, Step<T> step) {
    try {
      return Optional.of(step.run());
    } catch (IOException | RuntimeException | AssertionError e) {
      // RuntimeException covers BenchException; AssertionError is rig-testkit's "tool failed".
      log.println("rig-bench: loop: " + what + " failed, its rows say n/a: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** One step of the loop. */
  @FunctionalInterface
  private interface Step<T> {
    T run() throws IOException;
  }

  // ---- seeding ----

  /** Hard-links the seed .debs into {@code cache}/debs; the note for the row, empty when none. */
  private String seed(Path cache) throws IOException {
    Files.createDirectories(cache);
    if (settings.seedDebs().isEmpty()) {
      return "";
    }
    Path from = settings.seedDebs().get();
    proc.run(
            List.of("cp", "-al", from.toString(), cache.resolve("debs").toString()),
            Duration.ofMinutes(5))
        .ok();
    return "--seed-debs: .deb cache pre-seeded, no downloads";
  }

  /** Archive name → the .deb in rig's cache, for every locked package the cache holds. */
  private static Map<String, Path> seedFor(List<MmdebstrapUmoci.Package> packages, Path cache) {
    Map<String, Path> seed = new LinkedHashMap<>();
    for (MmdebstrapUmoci.Package p : packages) {
      Path deb = cache.resolve("debs").resolve(p.sha256() + ".deb");
      if (Files.isRegularFile(deb)) {
        seed.put(p.archiveName(), deb);
      }
    }
    return seed;
  }

  private static List<MmdebstrapUmoci.Package> lockedPackages(Path lock, String image)
      throws IOException {
    JsonNode entry = JSON.readTree(lock.toFile()).path("images").path(image);
    List<MmdebstrapUmoci.Package> packages = new ArrayList<>();
    for (JsonNode p : entry.path("packages")) {
      packages.add(
          new MmdebstrapUmoci.Package(
              p.path("name").asText(),
              p.path("version").asText(),
              p.path("architecture").asText(),
              p.path("filename").asText(),
              p.path("sha256").asText()));
    }
    if (packages.isEmpty()) {
      throw new BenchException(lock + " locks no packages for " + image);
    }
    return List.copyOf(packages);
  }

  // ---- add one package ----

  /** The add-one-package rebuild: seconds (empty when it failed), its digest, what happened. */
  record Added(OptionalDouble seconds, Optional<String> digest, String note) {}

  private Added addPackage(Path spec, Path cache, Path out, Path project) throws IOException {
    List<String> build = buildJson(spec, cache, out);
    Proc.Result first = rigUnchecked("add", build, project);
    if (first.exitCode() == 0) {
      return new Added(
          OptionalDouble.of(first.seconds()), digest(first.stdout()), "rig build, same cache");
    }
    String said = first.stderr();
    if (!(said.contains("rig lock") || said.contains("rig update"))) {
      log.println("rig-bench: the rebuild failed: " + Proc.tail(said));
      return new Added(OptionalDouble.empty(), Optional.empty(), "rig build failed (see log)");
    }
    // rig wants the lock moved first: do what it says, as a user would, and count both steps.
    Proc.Result update =
        rig(
            "add: update",
            List.of(
                settings.rig().toString(),
                "update",
                ADDED,
                "-f",
                spec.toString(),
                "--cache",
                cache.toString(),
                "-q"),
            project);
    Proc.Result again = rig("add: build", build, project);
    return new Added(
        OptionalDouble.of(update.seconds() + again.seconds()),
        digest(again.stdout()),
        String.format(
            Locale.ROOT,
            "rig refused the moved spec (%.1f s); rig update %s %.1f s + rig build %.1f s",
            first.seconds(),
            ADDED,
            update.seconds(),
            again.seconds()));
  }

  private static Optional<String> digest(String json) throws IOException {
    return BuildReport.parse(json).images().stream().findFirst().map(BuildReport.Image::digest);
  }

  // ---- load and shell ----

  /** The load rows' figures; empty where the command failed. */
  record Loads(
      OptionalDouble load, OptionalDouble skopeo, OptionalDouble shell, String skopeoSource) {
    static final Loads FAILED =
        new Loads(OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), "");
  }

  private Loads loads(Podman podman, Path spec, Path cache, Path out, String name, Path project)
      throws IOException {
    String refName = LoopMath.refName(JSON.readTree(out.resolve("index.json").toFile()));
    String source = out + ":" + refName;
    String launcher = podman.launcher().toString();
    step("rig load into podman (empty store)");
    emptyStore(podman);
    OptionalDouble load =
        timed(
            "load",
            List.of(
                settings.rig().toString(),
                "load",
                name,
                "-f",
                spec.toString(),
                "--runtime",
                launcher,
                "--cache",
                cache.toString(),
                "-q"),
            project);
    step("skopeo copy of rig's layout into podman's store (empty store)");
    emptyStore(podman);
    double skopeo =
        proc.run(
                List.of(
                    "skopeo",
                    "copy",
                    "--quiet",
                    "oci:" + source,
                    "containers-storage:localhost/rig-bench-skopeo:latest"),
                podman.environment(),
                null,
                settings.timeout())
            .ok()
            .seconds();
    step("rig shell " + name + " true (empty store)");
    emptyStore(podman);
    // -v: where a shell's time goes (build, load, the container's start and end) is in the log.
    Proc.Result shellRun =
        rigUnchecked(
            "shell",
            List.of(
                settings.rig().toString(),
                "shell",
                "-f",
                spec.toString(),
                "--runtime",
                launcher,
                "--cache",
                cache.toString(),
                "-v",
                name,
                "true"),
            project);
    shellRun
        .stderr()
        .lines()
        .filter(l -> !l.contains(" layer "))
        .forEach(l -> log.println("    | " + l));
    OptionalDouble shell =
        shellRun.exitCode() == 0 ? OptionalDouble.of(shellRun.seconds()) : OptionalDouble.empty();
    emptyStore(podman);
    return new Loads(
        load, OptionalDouble.of(skopeo), shell, source.substring(out.toString().length() + 1));
  }

  private void emptyStore(Podman podman) {
    podman.run(Duration.ofMinutes(1), "rm", "-af", "-t", "0");
    podman.run(Duration.ofMinutes(5), "rmi", "-af");
  }

  // ---- footprint ----

  private Footprint footprint(Path dir, Podman podman, Path cache, Path gpuLock, String name)
      throws IOException {
    int port = LocalRegistry.freePort();
    Path project = Files.createDirectories(dir.resolve("project-ssh"));
    Files.copy(settings.example(), project.resolve("example.pkl"));
    Files.copy(gpuLock, project.resolve("rig.lock"));
    Path spec = project.resolve("rig.pkl");
    Files.writeString(spec, LoopSpecs.withLoopbackSshd("example.pkl", name, port));
    step("footprint: the example with sshd on 127.0.0.1:" + port + ", built and loaded");
    Path out = dir.resolve("out-ssh");
    Proc.Result built = rig("footprint build", buildJson(spec, cache, out), project);
    BuildReport report = BuildReport.parse(built.stdout());
    emptyStore(podman);
    Proc.Result loaded =
        rig(
            "footprint load",
            List.of(
                settings.rig().toString(),
                "load",
                name,
                "-f",
                spec.toString(),
                "--runtime",
                podman.launcher().toString(),
                "--cache",
                cache.toString(),
                "-q"),
            project);
    String ref = loaded.stdout().strip().split("\\s+")[0];
    Fs.deleteTree(out);
    return new Footprint.Probe(podman, proc, log, dir.resolve("ssh"), settings.timeout())
        .measure(ref, port, report.images().get(0));
  }

  /** The total {@code rig cache} reports, when this rig has the command and says one. */
  private OptionalDouble rigCacheTotal(Path cache, Path project) {
    Proc.Result r =
        proc.run(
            List.of(settings.rig().toString(), "cache", "--cache", cache.toString(), "--json"),
            Map.of(),
            project,
            Duration.ofMinutes(2));
    if (r.exitCode() != 0) {
      return OptionalDouble.empty();
    }
    return LoopMath.cacheTotal(r.stdout());
  }

  // ---- running rig ----

  private List<String> buildJson(Path spec, Path cache, Path out) {
    return List.of(
        settings.rig().toString(),
        "build",
        "-f",
        spec.toString(),
        "--cache",
        cache.toString(),
        "--out",
        "oci:" + out,
        "--json");
  }

  /** A timed rig command that must succeed. */
  private Proc.Result rig(String label, List<String> command, Path workDir) {
    return rigUnchecked(label, command, workDir).ok();
  }

  private OptionalDouble timed(String label, List<String> command, Path workDir) {
    Proc.Result r = rigUnchecked(label, command, workDir);
    if (r.exitCode() != 0) {
      log.println("rig-bench: " + label + " failed: " + Proc.tail(r.stderr()));
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(r.seconds());
  }

  /**
   * ./rig rebuilds itself when a source changed: it is run once untimed just before, so the timed
   * run is rig alone.
   */
  private Proc.Result rigUnchecked(String label, List<String> command, Path workDir) {
    proc.run(List.of(settings.rig().toString(), "--version"), Duration.ofMinutes(15)).ok();
    Proc.Result r = proc.run(command, Map.of(), workDir, settings.timeout());
    log.printf(Locale.ROOT, "  %s: %.2f s (exit %d)%n", label, r.seconds(), r.exitCode());
    return r;
  }

  private void step(String what) {
    log.println("rig-bench: loop: " + what);
  }
}
