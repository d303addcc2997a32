package dev.rig.bench;

import dev.rig.bench.Table.Row;
import dev.rig.bench.Table.Unit;
import dev.rig.testkit.Exec;
import dev.rig.testkit.Podman;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * What rig-init costs: the compressed bytes it adds to an image (its own layer and the Java
 * runtime's), its memory beside sshd in a running container, how long {@code rig-init status} and
 * {@code doctor} take inside it, and container start → sshd accepting.
 *
 * @param layers the layers counted as the runtime's, as rig describes them
 * @param runtimeBytes their compressed bytes
 * @param rss the resident memory of the process that started sshd; empty if none was found
 * @param supervisor that process's name, as /proc says it
 * @param status median seconds of {@code rig-init status} inside the container
 * @param doctor median seconds of {@code rig-init doctor}
 * @param start container start → SSH login, rig-init's image and the sh-entrypoint reference
 */
record Footprint(
    List<String> layers,
    long runtimeBytes,
    OptionalDouble rss,
    String supervisor,
    OptionalDouble status,
    OptionalDouble doctor,
    Optional<SshStart.Result> start) {

  static final String LAUNCHER = "/usr/lib/rig/rig-init";

  /** The rows when the footprint could not be taken at all (the log says why). */
  static Footprint unmeasured() {
    return new Footprint(
        List.of(),
        0,
        OptionalDouble.empty(),
        "",
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        Optional.empty());
  }

  /** A package layer's source, from "packages: SOURCE (name=version ...)". */
  private static final Pattern JAVA_SOURCE =
      Pattern.compile("packages: (openjdk|java|jre|jdk|default-jre)[^ ]* \\(.*", Pattern.DOTALL);

  /**
   * Whether a layer belongs to rig-init's runtime: rig's runtime layer (or any layer rig names
   * after rig-init, such as a trimmed Java runtime), and the package layers of a Java runtime's
   * source packages. A shared layer of several small sources is not counted.
   */
  static boolean isRuntimeLayer(String createdBy) {
    String c = createdBy.toLowerCase(Locale.ROOT);
    return c.contains("rig-init") || JAVA_SOURCE.matcher(c).matches();
  }

  /** The runtime's layers and their bytes, from the image's layers as rig reports them. */
  static Footprint.Layers runtimeLayers(List<BuildReport.Layer> all) {
    List<String> names = new ArrayList<>();
    long bytes = 0;
    for (BuildReport.Layer layer : all) {
      if (isRuntimeLayer(layer.createdBy())) {
        String name = layer.createdBy();
        int paren = name.indexOf(" (");
        names.add(paren > 0 ? name.substring(0, paren) : name);
        bytes += layer.bytes();
      }
    }
    return new Layers(List.copyOf(names), bytes);
  }

  /** The layers counted and their compressed bytes. */
  record Layers(List<String> names, long bytes) {}

  void addRows(Table table) {
    Goal size = Goal.atMost(20 * (1 << 20), "≤ 20 MiB");
    table.add(
        new Row(
            "loop 6: what rig-init adds, compressed",
            layers.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(runtimeBytes),
            layers.isEmpty() ? "no runtime layer found" : String.join(" + ", layers),
            OptionalDouble.empty(),
            "",
            size.text(),
            size.judge(
                layers.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(runtimeBytes),
                OptionalDouble.empty()),
            Unit.MIB));
    Goal memory = Goal.atMost(40e6, "≤ 40 MB");
    table.add(
        new Row(
            "loop 6: rig-init RSS, sshd alone",
            rss,
            rss.isPresent()
                ? "VmRSS of " + supervisor + ", sshd's parent"
                : "sshd's parent not found",
            OptionalDouble.empty(),
            "",
            memory.text(),
            memory.judge(rss, OptionalDouble.empty()),
            Unit.MB));
    Goal quick = Goal.atMost(0.15, "≤ 0.15 s");
    table.add(
        new Row(
            "loop 6: rig-init status",
            status,
            "median of 5 inside the container",
            OptionalDouble.empty(),
            "",
            quick.text(),
            quick.judge(status, OptionalDouble.empty())));
    table.add(
        new Row(
            "loop 6: rig-init doctor",
            doctor,
            "median of 5 inside the container",
            OptionalDouble.empty(),
            "",
            quick.text(),
            quick.judge(doctor, OptionalDouble.empty())));
    Goal quickStart = Goal.atMost(0.5, "≤ 0.5 s");
    OptionalDouble rig = start.map(s -> OptionalDouble.of(s.rig())).orElse(OptionalDouble.empty());
    table.add(
        new Row(
            "loop 6: container start → sshd accepting",
            rig,
            "podman run -d to a finished ssh login, median of " + SshStart.RUNS,
            start.map(s -> OptionalDouble.of(s.reference())).orElse(OptionalDouble.empty()),
            "same image, sh entrypoint: host key + exec sshd",
            quickStart.text(),
            quickStart.judge(rig, OptionalDouble.empty())));
  }

  /** Takes the figures from a built image and a container of it. */
  static final class Probe {
    private final Podman podman;
    private final Proc proc;
    private final PrintStream log;
    private final Path dir;
    private final Duration timeout;

    Probe(Podman podman, Proc proc, PrintStream log, Path dir, Duration timeout) {
      this.podman = podman;
      this.proc = proc;
      this.log = log;
      this.dir = dir;
      this.timeout = timeout;
    }

    /**
     * @param ref the image, loaded into {@code podman}'s store
     * @param port the loopback port its sshd listens on
     * @param image the image as {@code rig build --json} described it
     */
    Footprint measure(String ref, int port, BuildReport.Image image) throws IOException {
      Layers layers = runtimeLayers(image.layers());
      SshStart ssh = new SshStart(podman, dir, proc, log);
      String name = "rig-bench-footprint-" + ProcessHandle.current().pid();
      String publicKey = ssh.publicKey();
      podman
          .run(
              Duration.ofMinutes(1),
              "run",
              "-d",
              "--name",
              name,
              "-e",
              "PUBLIC_KEY=" + publicKey,
              ref)
          .ok();
      OptionalDouble rss = OptionalDouble.empty();
      String supervisor = "";
      OptionalDouble status;
      OptionalDouble doctor;
      try {
        if (!SshStart.awaitBanner(port, Duration.ofSeconds(60))) {
          throw new BenchException("no SSH banner on 127.0.0.1:" + port + " from " + name);
        }
        // The supervisor settles once sshd is up; give the JVM's start-up garbage a moment too.
        sleep(2000);
        Exec.Result ps =
            podman.run(
                Duration.ofMinutes(1),
                "exec",
                name,
                "sh",
                "-c",
                "grep -H -E '^(Name|PPid|VmRSS):' /proc/[0-9]*/status 2>/dev/null; true");
        var found = ProcessTable.parse(ps.stdout()).sshdSupervisor();
        if (found.isPresent()) {
          rss = OptionalDouble.of(found.get().rssBytes());
          supervisor = found.get().name() + " (pid " + found.get().pid() + ")";
        }
        status = timeInside(name, "status");
        doctor = timeInside(name, "doctor");
      } finally {
        podman.run(Duration.ofMinutes(1), "rm", "-f", "-t", "0", name);
      }
      SshStart.Result start = ssh.measure(ref, port);
      return new Footprint(
          layers.names(), layers.bytes(), rss, supervisor, status, doctor, Optional.of(start));
    }

    /**
     * The median of 5 runs of {@code rig-init COMMAND}, timed by bash inside the container so that
     * podman exec's own start is not counted; empty when the command fails or bash is missing.
     */
    private OptionalDouble timeInside(String container, String command) {
      Exec.Result r =
          podman.run(
              Duration.ofMinutes(2),
              "exec",
              container,
              "bash",
              "-c",
              "TIMEFORMAT=%R; for i in 1 2 3 4 5; do time "
                  + LAUNCHER
                  + " "
                  + command
                  + " >/dev/null 2>&1 || exit 1; done");
      if (r.exitCode() != 0) {
        log.println("rig-bench: rig-init " + command + " failed in the container: " + r.stderr());
        return OptionalDouble.empty();
      }
      List<Double> times = LoopMath.timings(r.stderr());
      log.println("  rig-init " + command + ": " + times + " s");
      return LoopMath.median(times);
    }

    private static void sleep(long ms) {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BenchException("interrupted");
      }
    }
  }
}
