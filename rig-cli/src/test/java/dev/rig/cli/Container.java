package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rig.testkit.Exec;
import dev.rig.testkit.Podman;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A podman container started detached with the image's own entrypoint (tini, then rig-init). */
final class Container {
  private final Podman podman;
  private final String name;

  private Container(Podman podman, String name) {
    this.podman = podman;
    this.name = name;
  }

  /**
   * {@code podman run -d --name NAME [ARGS...] IMAGE}: {@code args} are podman's options ({@code
   * -e}, {@code -v}); the image's entrypoint and command are kept.
   */
  static Container start(Podman podman, String name, String image, List<String> args) {
    List<String> all = new ArrayList<>(List.of("run", "-d", "--name", name));
    all.addAll(args);
    all.add(image);
    podman.run(all.toArray(String[]::new)).ok();
    return new Container(podman, name);
  }

  String name() {
    return name;
  }

  /** Null while the container runs, else its state and log. */
  String deadReason() {
    String state =
        podman.run("inspect", name, "--format", "{{.State.Status}} {{.State.ExitCode}}").stdout();
    if (state.startsWith("running")) {
      return null;
    }
    return state.strip() + "\n" + log();
  }

  String log() {
    Exec.Result logs = podman.run("logs", name);
    return logs.stdout() + logs.stderr();
  }

  /** {@code podman exec NAME sh -c SCRIPT} (not checked). */
  Exec.Result exec(String script) {
    return podman.run(Duration.ofMinutes(2), "exec", name, "sh", "-c", script);
  }

  /** Stops it (SIGTERM to tini) and checks that it exited 0; returns how long stopping took. */
  long stopAndExpectExit0() {
    long t0 = System.nanoTime();
    podman.run("stop", "-t", "10", name).ok();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    String code = podman.run("inspect", name, "--format", "{{.State.ExitCode}}").ok().stdout();
    assertEquals("0", code.strip(), "exit code after podman stop; log:\n" + log());
    return ms;
  }

  /** Removes it, whatever its state (for finally blocks). */
  static void remove(Podman podman, String name) {
    podman.run("rm", "-f", name);
  }
}
