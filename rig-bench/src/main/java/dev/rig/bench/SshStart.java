package dev.rig.bench;

import dev.rig.testkit.Podman;
import dev.rig.testkit.SshCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Container start → sshd accepting: {@code podman run -d} of the package image until an SSH login
 * with a key passed in PUBLIC_KEY works. Beside it, the same image started with a shell entrypoint
 * that does only what sshd itself needs (host key, authorized_keys, /run/sshd) and then execs sshd:
 * the cost of podman and sshd alone, so that rig-init's share is visible.
 */
final class SshStart {
  static final int RUNS = 3;

  /** rig-init's line once every service is ready: "all 2 services ready", "1 service ready". */
  private static final Pattern READY =
      Pattern.compile("(?:all \\d+ services|1 service) ready (\\d+) ms");

  /** Median seconds of each side, and rig-init's own "ready after" figures from its log. */
  record Result(double rig, double reference, List<Long> initReadyMs) {}

  private final Podman podman;
  private final Path dir;
  private final Proc proc;
  private final PrintStream log;

  SshStart(Podman podman, Path dir, Proc proc, PrintStream log) {
    this.podman = podman;
    this.dir = dir;
    this.proc = proc;
    this.log = log;
  }

  Result measure(PackageBench.Built image) throws IOException {
    String ref = "localhost/" + PackageBench.IMAGE + ":latest";
    podman.run(Duration.ofMinutes(2), "rmi", "-f", ref);
    podman.run(Duration.ofMinutes(5), "load", "-i", image.dockerArchive().toString()).ok();
    try {
      return measure(ref, image.sshPort());
    } finally {
      podman.run(Duration.ofMinutes(2), "rmi", "-f", ref);
    }
  }

  /**
   * The same for an image already in podman's store as {@code ref}, whose sshd listens on
   * 127.0.0.1:{@code port}.
   */
  Result measure(String ref, int port) throws IOException {
    String publicKey = publicKey();
    Path key = dir.resolve("id_ed25519");
    double[] rig = new double[RUNS];
    double[] reference = new double[RUNS];
    List<Long> ready = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      String name = "rig-bench-ssh-" + ProcessHandle.current().pid() + "-" + i;
      rig[i] = start(name, List.of("-e", "PUBLIC_KEY=" + publicKey, ref), port, key);
      dev.rig.testkit.Exec.Result logs = podman.run(Duration.ofMinutes(1), "logs", name);
      Matcher m = READY.matcher(logs.stdout() + logs.stderr());
      if (m.find()) {
        ready.add(Long.parseLong(m.group(1)));
      }
      podman.run(Duration.ofMinutes(1), "rm", "-f", "-t", "0", name);
      String plain = name + "-plain";
      reference[i] =
          start(
              plain,
              List.of(
                  "-e",
                  "PUBLIC_KEY=" + publicKey,
                  "--entrypoint",
                  "/bin/sh",
                  ref,
                  "-c",
                  "mkdir -p /run/sshd /root/.ssh && echo \"$PUBLIC_KEY\" >"
                      + " /root/.ssh/authorized_keys && ssh-keygen -q -t ed25519 -N '' -f"
                      + " /etc/ssh/ssh_host_ed25519_key && exec /usr/sbin/sshd -D -e -p "
                      + port
                      + " -o ListenAddress=127.0.0.1 -h /etc/ssh/ssh_host_ed25519_key"),
              port,
              key);
      podman.run(Duration.ofMinutes(1), "rm", "-f", "-t", "0", plain);
      log.printf(
          Locale.ROOT,
          "  start %d: rig %.2f s, podman + sshd alone %.2f s%n",
          i + 1,
          rig[i],
          reference[i]);
    }
    return new Result(median(rig), median(reference), ready);
  }

  /** The public half of the key the logins use (made on first use). */
  String publicKey() throws IOException {
    Files.createDirectories(dir);
    Path key = dir.resolve("id_ed25519");
    if (!Files.exists(key)) {
      run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()));
    }
    return Files.readString(dir.resolve("id_ed25519.pub")).strip();
  }

  /**
   * Waits (a connect every 20 ms) until the port sends an SSH banner; false after {@code limit}.
   */
  static boolean awaitBanner(int port, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!banner(port)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      sleep(20);
    }
    return true;
  }

  /**
   * Seconds from launching {@code podman run -d} to a finished {@code ssh root@127.0.0.1 true}: a
   * TCP connect every 20 ms until the SSH banner comes, then one real login.
   */
  private double start(String name, List<String> args, int port, Path key) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(podmanLauncher());
    command.addAll(List.of("run", "-d", "--name", name));
    command.addAll(args);
    long t0 = System.nanoTime();
    Process run =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile())
            .start();
    long deadline = t0 + Duration.ofSeconds(60).toNanos();
    while (!banner(port)) {
      if (System.nanoTime() > deadline) {
        Proc.killTree(run.toHandle());
        throw new BenchException(
            "no SSH banner on 127.0.0.1:" + port + " within 60 s of starting " + name);
      }
      if (!run.isAlive() && run.exitValue() != 0) {
        throw new BenchException(
            "podman run " + name + " failed: " + Files.readString(dir.resolve(name + ".log")));
      }
      sleep(20);
    }
    while (true) {
      Proc.Result login = ssh(port, key);
      if (login.exitCode() == 0) {
        break;
      }
      // sshd may accept before the key is in place; retry until the deadline.
      if (System.nanoTime() > deadline) {
        throw new BenchException("no SSH login to " + name + ": " + login.stderr());
      }
      sleep(20);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    waitFor(run);
    return seconds;
  }

  private String podmanLauncher() {
    return podman.launcher().toString();
  }

  /** True once something on the port sends the SSH identification string. */
  private static boolean banner(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      s.setSoTimeout(500);
      InputStream in = s.getInputStream();
      byte[] buffer = new byte[7];
      int n = 0;
      while (n < buffer.length) {
        int r = in.read(buffer, n, buffer.length - n);
        if (r < 0) {
          return false;
        }
        n += r;
      }
      return new String(buffer, StandardCharsets.US_ASCII).equals("SSH-2.0");
    } catch (IOException e) {
      return false;
    }
  }

  private Proc.Result ssh(int port, Path key) {
    return proc.run(SshCommand.asRoot(port, key, 5, "true"), Duration.ofSeconds(20));
  }

  private void run(List<String> command) {
    proc.run(command, Duration.ofMinutes(1)).ok();
  }

  private static void waitFor(Process p) {
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        Proc.killTree(p.toHandle());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchException("interrupted");
    }
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
