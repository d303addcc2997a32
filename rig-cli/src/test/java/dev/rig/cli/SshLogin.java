package dev.rig.cli;

import dev.rig.testkit.Exec;
import dev.rig.testkit.SshCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * An SSH client key and the logins made with it to a container's sshd on 127.0.0.1: for tests that
 * start an image with its real entrypoint and pass the public key in PUBLIC_KEY.
 */
final class SshLogin {
  private final Path key;
  private final int port;

  private SshLogin(Path key, int port) {
    this.key = key;
    this.port = port;
  }

  /** Generates an ed25519 key under {@code dir} for logins to port {@code port}. */
  static SshLogin newKey(Path dir, String label, int port) {
    Path key = dir.resolve("ssh-key-" + label);
    Exec.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())).ok();
    return new SshLogin(key, port);
  }

  /** The public key, as PUBLIC_KEY expects it. */
  String publicKey() throws java.io.IOException {
    return Files.readString(key.resolveSibling(key.getFileName() + ".pub")).strip();
  }

  int port() {
    return port;
  }

  /** Runs {@code command} in one SSH session as root (the result is not checked). */
  Exec.Result run(String command) {
    return Exec.run(
        SshCommand.asRoot(port, key, 2, command), java.util.Map.of(), null, Duration.ofMinutes(2));
  }

  /**
   * Polls until a login runs {@code command} with exit 0, for at most {@code timeout}; prints how
   * long after {@code startNanos} that was. {@code alive} is asked between tries, so a container
   * that died fails at once with its log.
   */
  Exec.Result await(
      String command, long startNanos, Duration timeout, java.util.function.Supplier<String> dead)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exec.Result last = null;
    while (System.nanoTime() < deadline) {
      last = run(command);
      if (last.exitCode() == 0) {
        System.out.printf(
            "container start -> ssh login: %d ms%n", (System.nanoTime() - startNanos) / 1_000_000);
        return last;
      }
      String why = dead.get();
      if (why != null) {
        throw new AssertionError("the container stopped before an SSH login:\n" + why);
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "no SSH login within " + timeout + ": " + (last == null ? "" : last.describe()));
  }
}
