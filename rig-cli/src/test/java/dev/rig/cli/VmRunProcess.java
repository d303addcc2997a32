package dev.rig.cli;

import dev.rig.testkit.Exec;
import dev.rig.testkit.SshCommand;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code rig vm run --dir DIR} booting a built VM in a JVM of its own (so that a test can signal it
 * and see it end), its output in a console file; closing it kills what is left.
 */
final class VmRunProcess implements AutoCloseable {
  private final Process process;
  private final Path console;

  private VmRunProcess(Process process, Path console) {
    this.process = process;
    this.console = console;
  }

  /**
   * Starts {@code rig vm run} on {@code vmDir} with SSH forwarded from 127.0.0.1:{@code sshPort},
   * {@code publicKey} for root, {@code env} added to its environment and {@code more} arguments.
   */
  static VmRunProcess start(
      Path vmDir,
      int sshPort,
      Path publicKey,
      Path console,
      Map<String, String> env,
      String... more)
      throws IOException {
    List<String> argv =
        command(
            "--dir",
            vmDir.toString(),
            "--ssh-port",
            Integer.toString(sshPort),
            "--ssh-key",
            publicKey.toString(),
            "--stop-timeout",
            "20");
    argv.addAll(List.of(more));
    ProcessBuilder builder =
        new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(console.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    return new VmRunProcess(process, console);
  }

  /**
   * {@code rig vm run ARGS} in a JVM of its own (C1 only, a small heap: it only starts and watches
   * the hypervisor), from this test's class path.
   */
  static List<String> command(String... args) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "vm",
                "run"));
    argv.addAll(List.of(args));
    return argv;
  }

  Process process() {
    return process;
  }

  /** What {@code rig vm run} and the guest's console printed so far. */
  String console() throws IOException {
    return Files.readString(console);
  }

  /**
   * Runs {@code command} over SSH as root until {@code done} accepts its result, the run ends or
   * {@code within} passes; the last result, empty when none was tried.
   */
  Optional<Exec.Result> ssh(
      int port, Path key, String command, Duration within, Predicate<Exec.Result> done)
      throws InterruptedException {
    Exec.Result last = null;
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      last =
          Exec.run(
              SshCommand.asRoot(port, key, 3, command), Map.of(), null, Duration.ofSeconds(20));
      if (done.test(last)) {
        break;
      }
      Thread.sleep(300);
    }
    return Optional.ofNullable(last);
  }

  /** Whether the run ended within {@code seconds}. */
  boolean endsWithin(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  /** A file's SHA-256, hex. */
  static String sha256(Path file) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      try (InputStream in = Files.newInputStream(file)) {
        byte[] buffer = new byte[1 << 20];
        for (int n; (n = in.read(buffer)) > 0; ) {
          digest.update(buffer, 0, n);
        }
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
