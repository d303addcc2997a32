package dev.rig.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.apt.control.PackageRecord;
import dev.rig.apt.deb.DebDownloader;
import dev.rig.apt.deb.DownloadListener;
import dev.rig.apt.repo.Fetchers;
import dev.rig.apt.repo.RepositoryFetcher;
import dev.rig.testkit.FaultProxy;
import dev.rig.testkit.FaultProxy.Fault;
import dev.rig.testkit.HermeticRepo;
import dev.rig.testkit.LocalRegistry;
import dev.rig.testkit.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * {@code bench/faults}: rig's network operations through a {@link FaultProxy} that breaks a set
 * share of exchanges (error statuses with and without Retry-After, resets, bodies cut half-way,
 * stalls after the headers), and rig killed at random points. Every operation must complete with
 * correct digests, and a cache left by a killed rig must serve the next run without cleanup.
 *
 * <p>Phases: push to a fresh distribution registry behind the proxy (checked by skopeo against the
 * registry itself); pull, as a build {@code from} the pushed image into an empty cache (every blob
 * of the written layout hashed); lock and download of the image's packages from an apt repository
 * served behind the proxy (every .deb hashed against the lock); and a package build killed at
 * random points, then run to the end (the digest must equal a clean build's, and every blob in the
 * cache must match its name).
 */
public final class FaultSoak {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param rig the command that runs rig ({@code ./rig}, or {@code java -jar rig-cli.jar})
   * @param work a directory of its own (deleted and made again)
   * @param spec the seed spec: its image {@code image} is built once from the real mirror; that
   *     image is what is pushed and pulled, and its locked .debs make the local apt mirror
   * @param rounds push, pull and lock + download operations each
   * @param kills how many times a package build is killed
   * @param rate the share of exchanges the proxy breaks
   * @param idleTimeout rig's network idle limit in the soak (stalls last three times as long)
   * @param attempts how many times rig tries each request in all (RIG_NET_ATTEMPTS; rig's default
   *     is 5: at a 10% fault rate a request then fails for good once in 100,000)
   */
  public record Setup(
      List<String> rig,
      Path work,
      Path spec,
      String image,
      int rounds,
      int kills,
      double rate,
      long seed,
      Duration idleTimeout,
      int attempts) {}

  /** One row: what was tried, what went wrong on the way, and what came out right. */
  public record PhaseResult(
      String phase,
      int operations,
      int completed,
      long digestsVerified,
      Map<Fault, Long> faults,
      double cleanSeconds,
      double faultySeconds) {
    public long faultCount() {
      return faults.entrySet().stream()
          .filter(e -> e.getKey() != Fault.NONE)
          .mapToLong(Map.Entry::getValue)
          .sum();
    }
  }

  private final Setup setup;
  private final Proc proc;
  private final PrintStream log;
  private final Random random;
  private final Duration timeout = Duration.ofMinutes(30);

  public FaultSoak(Setup setup, PrintStream log) throws IOException {
    this.setup = setup;
    // Everything but the cache goes: a second run need not build the seed image from the mirror
    // again (the seed's own rig.lock and the cached .debs make it a cache hit).
    Files.createDirectories(setup.work());
    try (Stream<Path> entries = Files.list(setup.work())) {
      for (Path entry : entries.toList()) {
        if (!entry.getFileName().toString().equals("cache")) {
          Fs.deleteTree(entry);
        }
      }
    }
    this.proc = new Proc(setup.work().resolve("logs"));
    this.log = log;
    this.random = new Random(setup.seed());
  }

  public List<PhaseResult> run() throws IOException {
    Tools.require("skopeo", "skopeo");
    Tools.require("docker-registry", "docker-registry");
    Path cache = setup.work().resolve("cache");
    String digest = build(setup.spec(), cache, setup.work().resolve("image"));
    List<PhaseResult> results = new ArrayList<>();
    results.add(pushes(cache, digest));
    results.add(pulls(cache));
    LocalMirror mirror = LocalMirror.of(setup.spec(), setup.image(), cache, setup.work());
    results.add(packages(mirror));
    results.add(kills(mirror));
    return results;
  }

  /**
   * The seed image's locked .debs (from the cache that built it) as a signed apt repository of
   * their own, and the pinned package list that installs exactly them from it.
   */
  private record LocalMirror(HermeticRepo repo, List<String> packages) {
    static LocalMirror of(Path spec, String image, Path cache, Path work) throws IOException {
      JsonNode lock = JSON.readTree(spec.resolveSibling("rig.lock").toFile());
      List<Path> debs = new ArrayList<>();
      List<String> packages = new ArrayList<>();
      for (JsonNode p : lock.path("images").path(image).path("packages")) {
        Path deb = cache.resolve("debs").resolve(p.path("sha256").asText() + ".deb");
        if (!Files.isRegularFile(deb)) {
          throw new BenchException("the seed build left no " + deb + " for " + p.path("name"));
        }
        debs.add(deb);
        packages.add(p.path("name").asText() + "=" + p.path("version").asText());
      }
      if (packages.isEmpty()) {
        throw new BenchException("the seed image " + image + " has no packages in its rig.lock");
      }
      return new LocalMirror(
          HermeticRepo.ofDebFiles(work.resolve("mirror"), "soak", debs), List.copyOf(packages));
    }
  }

  /**
   * The environment every rig run gets: a short idle limit, so that stalls cost seconds, and the
   * soak's number of attempts per request.
   */
  private Map<String, String> env() {
    return Map.of(
        "RIG_NET_IDLE_TIMEOUT",
        String.format(Locale.ROOT, "%.3f", setup.idleTimeout().toMillis() / 1000.0),
        "RIG_NET_ATTEMPTS",
        Integer.toString(setup.attempts()),
        "SOURCE_DATE_EPOCH",
        "0");
  }

  private List<String> rig(String... args) {
    List<String> command = new ArrayList<>(setup.rig());
    command.addAll(List.of(args));
    return command;
  }

  private String build(Path spec, Path cache, Path layout) throws IOException {
    Proc.Result run =
        proc.run(
                rig(
                    "build",
                    "-f",
                    spec.toString(),
                    "--cache",
                    cache.toString(),
                    "--out",
                    "oci:" + layout,
                    "--json"),
                env(),
                spec.getParent(),
                timeout)
            .ok();
    return JSON.readTree(run.stdout()).path("images").get(0).path("digest").asText();
  }

  private FaultProxy.Settings faults(int round) {
    return new FaultProxy.Settings(
        setup.rate(), setup.seed() * 1000 + round, setup.idleTimeout().multipliedBy(3));
  }

  // ---- push ---------------------------------------------------------------------------------

  private PhaseResult pushes(Path cache, String digest) throws IOException {
    Map<Fault, Long> faults = new EnumMap<>(Fault.class);
    double clean = push(cache, digest, -1, faults).seconds;
    double total = 0;
    int completed = 0;
    long verified = 0;
    for (int round = 0; round < setup.rounds(); round++) {
      Outcome outcome = push(cache, digest, round, faults);
      total += outcome.seconds;
      completed += outcome.ok ? 1 : 0;
      verified += outcome.verified;
    }
    return new PhaseResult(
        "push", setup.rounds(), completed, verified, faults, clean, total / setup.rounds());
  }

  private record Outcome(boolean ok, long verified, double seconds) {}

  /** One push to a fresh registry (so every blob is uploaded); round -1 is the clean run. */
  private Outcome push(Path cache, String digest, int round, Map<Fault, Long> faults)
      throws IOException {
    Path dir = setup.work().resolve("push-" + round);
    try (LocalRegistry registry = LocalRegistry.start(dir.resolve("registry"));
        FaultProxy proxy = FaultProxy.start(registry.port(), faults(round))) {
      proxy.enable(round >= 0);
      String target = proxy.host() + "/soak/" + setup.image() + ":r" + (round + 1);
      Proc.Result run =
          proc.run(
              rig(
                  "push",
                  "-f",
                  setup.spec().toString(),
                  setup.image(),
                  "--cache",
                  cache.toString(),
                  "--to",
                  target),
              env(),
              setup.spec().getParent(),
              timeout);
      add(faults, round >= 0 ? proxy.counts() : Map.of());
      if (run.exitCode() != 0) {
        log.println("push round " + round + " failed:\n" + Proc.tail(run.stderr()));
        return new Outcome(false, 0, run.seconds());
      }
      // The registry itself (not the proxy) must hold the image, every blob intact: skopeo
      // verifies each blob's digest as it copies.
      String direct = registry.host() + "/soak/" + setup.image() + ":r" + (round + 1);
      String raw =
          proc.run(
                  List.of("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + direct),
                  timeout)
              .ok()
              .stdout();
      if (!("sha256:" + sha256(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
          .equals(digest)) {
        log.println("push round " + round + ": the registry holds another manifest");
        return new Outcome(false, 0, run.seconds());
      }
      Path copy = dir.resolve("copy");
      proc.run(
              List.of(
                  "skopeo",
                  "copy",
                  "-q",
                  "--src-tls-verify=false",
                  "docker://" + direct,
                  "oci:" + copy + ":x"),
              timeout)
          .ok();
      long verified = verifyLayout(copy);
      return new Outcome(true, verified, run.seconds());
    } finally {
      Fs.deleteTree(dir);
    }
  }

  // ---- pull ---------------------------------------------------------------------------------

  private PhaseResult pulls(Path cache) throws IOException {
    Path dir = setup.work().resolve("pull");
    Map<Fault, Long> faults = new EnumMap<>(Fault.class);
    try (LocalRegistry registry = LocalRegistry.start(dir.resolve("registry"))) {
      // The image to pull, pushed once without faults.
      proc.run(
              rig(
                  "push",
                  "-f",
                  setup.spec().toString(),
                  setup.image(),
                  "--cache",
                  cache.toString(),
                  "--to",
                  registry.host() + "/soak/" + setup.image() + ":pull"),
              env(),
              setup.spec().getParent(),
              timeout)
          .ok();
      double clean = pull(registry, dir, -1, faults).seconds;
      double total = 0;
      int completed = 0;
      long verified = 0;
      for (int round = 0; round < setup.rounds(); round++) {
        Outcome outcome = pull(registry, dir, round, faults);
        total += outcome.seconds;
        completed += outcome.ok ? 1 : 0;
        verified += outcome.verified;
      }
      return new PhaseResult(
          "pull", setup.rounds(), completed, verified, faults, clean, total / setup.rounds());
    } finally {
      Fs.deleteTree(dir);
    }
  }

  /** A build {@code from} the pushed image into an empty cache: every base blob is fetched. */
  private Outcome pull(LocalRegistry registry, Path dir, int round, Map<Fault, Long> faults)
      throws IOException {
    Path roundDir = Files.createDirectories(dir.resolve("round-" + round));
    try (FaultProxy proxy = FaultProxy.start(registry.port(), faults(round))) {
      proxy.enable(round >= 0);
      Path spec = roundDir.resolve("rig.yaml");
      Files.writeString(
          spec,
          "images:\n  pulled:\n    from: \""
              + proxy.host()
              + "/soak/"
              + setup.image()
              + ":pull\"\n");
      Path layout = roundDir.resolve("layout");
      Proc.Result run =
          proc.run(
              rig(
                  "build",
                  "-f",
                  spec.toString(),
                  "--cache",
                  roundDir.resolve("cache").toString(),
                  "--out",
                  "oci:" + layout),
              env(),
              roundDir,
              timeout);
      add(faults, round >= 0 ? proxy.counts() : Map.of());
      if (run.exitCode() != 0) {
        log.println("pull round " + round + " failed:\n" + Proc.tail(run.stderr()));
        return new Outcome(false, 0, run.seconds());
      }
      return new Outcome(true, verifyLayout(layout), run.seconds());
    } finally {
      Fs.deleteTree(roundDir);
    }
  }

  // ---- packages -----------------------------------------------------------------------------

  private PhaseResult packages(LocalMirror mirror) throws IOException {
    Path dir = setup.work().resolve("packages");
    Map<Fault, Long> faults = new EnumMap<>(Fault.class);
    try (Served served = Served.start(mirror.repo())) {
      double clean = lockAndDownload(mirror, served, dir, -1, faults).seconds;
      double total = 0;
      int completed = 0;
      long verified = 0;
      for (int round = 0; round < setup.rounds(); round++) {
        Outcome outcome = lockAndDownload(mirror, served, dir, round, faults);
        total += outcome.seconds;
        completed += outcome.ok ? 1 : 0;
        verified += outcome.verified;
      }
      return new PhaseResult(
          "lock + download",
          setup.rounds(),
          completed,
          verified,
          faults,
          clean,
          total / setup.rounds());
    } finally {
      Fs.deleteTree(dir);
    }
  }

  /**
   * A spec that installs exactly the mirror's packages from it, and nothing else: no distribution,
   * no tool sets, no runtime, no CUDA (their packages are in the pinned list already).
   */
  private static String packageSpec(LocalMirror mirror, String uri) {
    return "images:\n"
        + "  soak-packages:\n"
        + "    packages: ["
        + String.join(", ", mirror.packages().stream().map(p -> "\"" + p + "\"").toList())
        + "]\n"
        + "    distributions: []\n"
        + "    repositories:\n"
        + "      - { uri: \""
        + uri
        + "\", suites: [soak], components: [main], signedBy: \""
        + mirror.repo().keyring()
        + "\" }\n"
        + "    environment: { core: false, dev: false, network: false, shell: false }\n"
        + "    runtime: { enable: false }\n"
        + "    cuda: { enable: false }\n"
        + "    includeApt: false\n";
  }

  private Outcome lockAndDownload(
      LocalMirror mirror, Served served, Path dir, int round, Map<Fault, Long> faults)
      throws IOException {
    Path roundDir = Files.createDirectories(dir.resolve("round-" + round));
    try (FaultProxy proxy = FaultProxy.start(served.port(), faults(round))) {
      proxy.enable(round >= 0);
      String uri = "http://" + proxy.host() + "/";
      Path spec = roundDir.resolve("rig.yaml");
      Files.writeString(spec, packageSpec(mirror, uri));
      long start = System.nanoTime();
      Proc.Result lock =
          proc.run(
              rig("lock", "-f", spec.toString(), "--cache", roundDir.resolve("cache").toString()),
              env(),
              roundDir,
              timeout);
      if (lock.exitCode() != 0) {
        add(faults, round >= 0 ? proxy.counts() : Map.of());
        log.println("lock round " + round + " failed:\n" + Proc.tail(lock.stderr()));
        return new Outcome(false, 0, lock.seconds());
      }
      List<JsonNode> locked = new ArrayList<>();
      JSON.readTree(roundDir.resolve("rig.lock").toFile())
          .path("images")
          .path("soak-packages")
          .path("packages")
          .forEach(locked::add);
      long verified;
      try {
        verified = download(locked, uri, roundDir.resolve("debs"));
      } catch (IOException e) {
        add(faults, round >= 0 ? proxy.counts() : Map.of());
        log.println("download round " + round + " failed: " + e.getMessage());
        return new Outcome(false, 0, (System.nanoTime() - start) / 1e9);
      }
      add(faults, round >= 0 ? proxy.counts() : Map.of());
      return new Outcome(true, verified, (System.nanoTime() - start) / 1e9);
    } finally {
      Fs.deleteTree(roundDir);
    }
  }

  /** The locked .debs through rig-apt's downloader, each then hashed against the lock. */
  private long download(List<JsonNode> locked, String uri, Path into) throws IOException {
    RepositoryFetcher fetcher = Fetchers.forUri(URI.create(uri));
    List<DebDownloader.Request> requests = new ArrayList<>();
    for (JsonNode p : locked) {
      requests.add(
          new DebDownloader.Request(
              PackageRecord.forDownload(
                  p.path("name").asText(),
                  p.path("version").asText(),
                  p.path("architecture").asText(),
                  p.path("filename").asText(),
                  p.path("size").asLong(),
                  p.path("sha256").asText()),
              fetcher));
    }
    Map<PackageRecord, Path> files =
        new DebDownloader(into, 4, DownloadListener.NONE).downloadAll(requests);
    long verified = 0;
    for (Map.Entry<PackageRecord, Path> file : files.entrySet()) {
      if (!sha256(file.getValue()).equals(file.getKey().sha256())) {
        throw new IOException(file.getValue() + " does not match the lock's sha256");
      }
      verified++;
    }
    if (verified != locked.size()) {
      throw new IOException("downloaded " + verified + " of " + locked.size() + " .debs");
    }
    return verified;
  }

  // ---- kills --------------------------------------------------------------------------------

  /**
   * The package image built with rig killed (SIGKILL, as a crash or an OOM kill) at a random point
   * of its run, again and again on the same cache; every fourth kill, the next run must finish with
   * the clean build's digest and leave a cache whose every blob matches its name.
   */
  private PhaseResult kills(LocalMirror mirror) throws IOException {
    Path dir = setup.work().resolve("kills");
    try (Served served = Served.start(mirror.repo())) {
      Path spec = Files.createDirectories(dir).resolve("rig.yaml");
      Files.writeString(spec, packageSpec(mirror, served.uri()));
      long start = System.nanoTime();
      String clean = build(spec, dir.resolve("clean-cache"), dir.resolve("clean-out"));
      double cleanSeconds = (System.nanoTime() - start) / 1e9;
      int recoveries = 0;
      int recovered = 0;
      long verified = 0;
      double total = 0;
      Path cache = dir.resolve("cache-0");
      for (int kill = 0; kill < setup.kills(); kill++) {
        double at = 0.2 + random.nextDouble() * cleanSeconds;
        killedBuild(spec, cache, dir.resolve("out"), Duration.ofMillis((long) (at * 1000)));
        if (kill % 4 == 3 || kill == setup.kills() - 1) {
          recoveries++;
          long t = System.nanoTime();
          String digest;
          try {
            digest = build(spec, cache, dir.resolve("out"));
          } catch (BenchException e) {
            log.println("the run after kill " + kill + " failed: " + e.getMessage());
            continue;
          }
          total += (System.nanoTime() - t) / 1e9;
          long blobs = verifyCache(cache);
          if (digest.equals(clean) && blobs >= 0) {
            recovered++;
            verified += blobs;
          } else {
            log.println("the run after kill " + kill + " gave " + digest + ", clean: " + clean);
          }
          Fs.deleteTree(cache);
          cache = dir.resolve("cache-" + (kill + 1));
        }
      }
      return new PhaseResult(
          "killed builds (" + setup.kills() + " kills)",
          recoveries,
          recovered,
          verified,
          Map.of(),
          cleanSeconds,
          recoveries == 0 ? 0 : total / recoveries);
    } finally {
      Fs.deleteTree(dir);
    }
  }

  private void killedBuild(Path spec, Path cache, Path out, Duration after) throws IOException {
    List<String> command =
        rig("build", "-f", spec.toString(), "--cache", cache.toString(), "--out", "oci:" + out);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(spec.getParent().toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().putAll(env());
    Process process = builder.start();
    try {
      if (!process.waitFor(after.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        // rig alone, as a crash would end it; its sandbox dies with it (--die-with-parent).
        process.destroyForcibly();
        process.waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  // ---- checks -------------------------------------------------------------------------------

  /** Hashes every blob of an OCI layout against its name; returns how many, or throws. */
  static long verifyLayout(Path layout) throws IOException {
    return verifyBlobs(layout.resolve("blobs").resolve("sha256"));
  }

  /** Every blob in a rig cache matches its name (temp files beside them are not blobs). */
  static long verifyCache(Path cache) throws IOException {
    return verifyBlobs(cache.resolve("blobs").resolve("sha256"));
  }

  private static long verifyBlobs(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    long count = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (!name.matches("[0-9a-f]{64}")) {
          continue;
        }
        String actual = sha256(file);
        if (!actual.equals(name)) {
          throw new IOException("corrupt blob " + file + ": its content hashes to " + actual);
        }
        count++;
      }
    }
    return count;
  }

  static String sha256(Path file) throws IOException {
    MessageDigest digest = sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 20];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void add(Map<Fault, Long> into, Map<Fault, Long> counts) {
    counts.forEach((fault, n) -> into.merge(fault, n, Long::sum));
  }

  /** The phases as a Markdown table. */
  public static String table(List<PhaseResult> results, double rate) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(
        List.of(
            "phase",
            "operations",
            "faults injected (" + Math.round(rate * 100) + "% rate)",
            "by kind",
            "completed",
            "digests verified",
            "clean run",
            "with faults",
            "extra"));
    for (PhaseResult r : results) {
      List<String> kinds = new ArrayList<>();
      r.faults()
          .forEach(
              (fault, n) -> {
                if (fault != Fault.NONE && n > 0) {
                  kinds.add(fault.name().toLowerCase(Locale.ROOT) + " " + n);
                }
              });
      rows.add(
          List.of(
              r.phase(),
              Integer.toString(r.operations()),
              Long.toString(r.faultCount()),
              kinds.isEmpty() ? "-" : String.join(", ", kinds),
              r.completed() + "/" + r.operations(),
              Long.toString(r.digestsVerified()),
              String.format(Locale.ROOT, "%.2f s", r.cleanSeconds()),
              String.format(Locale.ROOT, "%.2f s", r.faultySeconds()),
              String.format(Locale.ROOT, "%+.2f s", r.faultySeconds() - r.cleanSeconds())));
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < rows.size(); i++) {
      out.append("| ").append(String.join(" | ", rows.get(i))).append(" |\n");
      if (i == 0) {
        out.append("|").append("---|".repeat(rows.get(0).size())).append('\n');
      }
    }
    return out.toString();
  }

  /** An apt repository directory served over HTTP on 127.0.0.1 by python's http.server. */
  private record Served(Process process, int port) implements AutoCloseable {
    static Served start(HermeticRepo repo) throws IOException {
      int port = LocalRegistry.freePort();
      Process process =
          new ProcessBuilder(
                  "/usr/bin/python3",
                  "-m",
                  "http.server",
                  Integer.toString(port),
                  "--bind",
                  "127.0.0.1",
                  "--directory",
                  repo.root().toString())
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      Served served = new Served(process, port);
      served.awaitReady();
      return served;
    }

    String uri() {
      return "http://127.0.0.1:" + port + "/";
    }

    private void awaitReady() throws IOException {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline) {
        try (java.net.Socket socket =
            new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
          return;
        } catch (IOException e) {
          try {
            Thread.sleep(50);
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IOException(interrupted);
          }
        }
      }
      close();
      throw new IOException("http.server did not listen on 127.0.0.1:" + port);
    }

    @Override
    public void close() {
      process.destroy();
    }
  }
}
