package dev.rig.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.testkit.Exec;
import dev.rig.testkit.Tools;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real sshd started by rig-init: host keys generated at start, the key from SSH_PUBLIC_KEYS
 * accepted, the container's variables visible in the session, and the time from start to accept.
 */
class SshdTest {
  @Test
  void sshLogsInWithKeyFromEnvironmentAndSeesContainerVariables(@TempDir Path dir)
      throws Exception {
    Path sshd = Tools.require("sshd", "openssh-server");
    Tools.require("ssh", "openssh-client");
    Tools.require("ssh-keygen", "openssh-client");
    // sshd insists on its compiled-in privilege-separation directory even with UsePAM no.
    Files.createDirectories(Path.of("/run/sshd"));
    Path key = dir.resolve("id");
    Exec.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())).ok();
    String pub = Files.readString(dir.resolve("id.pub")).strip();
    int port = RigInitProcess.freePort();
    Path cfg =
        Files.writeString(
            dir.resolve("runtime.json"),
            "{\"startup\":{\"sshd\":true,\"sshPort\":"
                + port
                + ",\"sshListenAddress\":\"127.0.0.1\",\"sshdPath\":\""
                + sshd.toAbsolutePath()
                + "\"}}");
    Path root = dir.resolve("root");
    Path log = dir.resolve("log");
    String user = System.getProperty("user.name");
    long t0 = System.nanoTime();
    Process p =
        RigInitProcess.start(
            List.of("run", "--config", cfg.toString(), "--root", root.toString()),
            Map.of("SSH_PUBLIC_KEYS", pub, "CUDA_VERSION", "12.4.1", "HF_TOKEN", "hf_secret"),
            log);
    try {
      long deadline = System.currentTimeMillis() + 30_000;
      while (!accepts(port)) {
        assertTrue(p.isAlive(), "rig-init died:\n" + Files.readString(log));
        assertTrue(
            System.currentTimeMillis() < deadline,
            "sshd never accepted:\n" + Files.readString(log));
        Thread.sleep(10);
      }
      long acceptMs = (System.nanoTime() - t0) / 1_000_000;
      // The RSA key arrives in the background and goes into sshd_config for sshd's next start;
      // sshd is not reloaded (a reload refuses connections for a moment), so logins right after
      // it still work, with the ed25519 host key.
      while (!Files.readString(log).contains("rsa host key ready; sshd offers it from its next")) {
        assertTrue(System.currentTimeMillis() < deadline, "no rsa key:\n" + Files.readString(log));
        Thread.sleep(10);
      }
      assertTrue(accepts(port), "sshd must keep accepting once the RSA key exists");
      long rsaMs = (System.nanoTime() - t0) / 1_000_000;
      List<String> ssh =
          List.of(
              "ssh",
              "-p",
              Integer.toString(port),
              "-i",
              key.toString(),
              "-o",
              "BatchMode=yes",
              "-o",
              "StrictHostKeyChecking=no",
              "-o",
              "UserKnownHostsFile=/dev/null",
              "-o",
              "ConnectionAttempts=10",
              "-o",
              "HostKeyAlgorithms=ssh-ed25519",
              user + "@127.0.0.1");
      Exec.Result r =
          Exec.run(
              append(ssh, "echo cuda=$CUDA_VERSION token=$HF_TOKEN"),
              Map.of(),
              dir,
              Duration.ofSeconds(20));
      long loginMs = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(0, r.exitCode(), r.describe() + "\n" + Files.readString(log));
      assertEquals("cuda=12.4.1 token=", r.stdout().strip());
      Files.writeString(
          Path.of("target", "rig-init-timings.txt"),
          "start->sshd accepting: "
              + acceptMs
              + " ms; start->rsa key ready: "
              + rsaMs
              + " ms; start->first ssh login done: "
              + loginMs
              + " ms\n");
      // Clients that insist on a weak algorithm are refused by the real sshd. A MAC is only
      // negotiated with a cipher that is not AEAD, hence aes128-ctr with the weak MACs.
      for (List<String> weak :
          List.of(
              List.of("KexAlgorithms=ecdh-sha2-nistp256"),
              List.of("Ciphers=aes128-cbc"),
              List.of("Ciphers=aes128-ctr", "MACs=umac-64-etm@openssh.com"),
              List.of("Ciphers=aes128-ctr", "MACs=hmac-sha1"))) {
        List<String> insist = new java.util.ArrayList<>(ssh.subList(0, ssh.size() - 1));
        weak.forEach(o -> insist.addAll(List.of("-o", o)));
        insist.addAll(List.of(ssh.get(ssh.size() - 1), "true"));
        Exec.Result refused = Exec.run(insist, Map.of(), dir, Duration.ofSeconds(20));
        assertTrue(refused.exitCode() != 0, weak + " was accepted: " + refused.describe());
        assertTrue(refused.stderr().contains("no matching"), weak + ": " + refused.describe());
      }
      String text = Files.readString(log);
      assertTrue(
          text.contains("ssh-host-keys: generated ed25519; generating rsa in the background"),
          text);
      assertTrue(
          Files.readString(root.resolve("run/rig/sshd_config"))
              .contains("PasswordAuthentication no"));
    } finally {
      p.destroy();
      assertTrue(p.waitFor(15, TimeUnit.SECONDS));
    }
    assertEquals(0, p.exitValue(), Files.readString(log));
    assertTrue(!accepts(port), "sshd still running after rig-init stopped");
  }

  @Test
  void platformSshdOnThePortIsLeftAlone(@TempDir Path dir) throws Exception {
    try (ServerSocket platform = new ServerSocket()) {
      platform.bind(new InetSocketAddress("127.0.0.1", 0));
      Path cfg =
          Files.writeString(
              dir.resolve("runtime.json"),
              "{\"startup\":{\"sshd\":true,\"sshPort\":"
                  + platform.getLocalPort()
                  + ",\"sshListenAddress\":\"127.0.0.1\"}}");
      Path log = dir.resolve("log");
      Process p =
          RigInitProcess.start(
              List.of(
                  "run",
                  "--config",
                  cfg.toString(),
                  "--root",
                  dir.resolve("root").toString(),
                  "--",
                  "true"),
              Map.of(),
              log);
      assertTrue(p.waitFor(20, TimeUnit.SECONDS));
      String text = Files.readString(log);
      assertEquals(0, p.exitValue(), text);
      assertTrue(text.contains("not starting rig's sshd"), text);
      assertTrue(!text.contains("sshd: started"), text);
    }
  }

  private static List<String> append(List<String> a, String b) {
    List<String> l = new java.util.ArrayList<>(a);
    l.add(b);
    return l;
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
