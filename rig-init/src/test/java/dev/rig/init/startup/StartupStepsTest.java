package dev.rig.init.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.init.config.StartupSettings;
import dev.rig.init.report.OutputSink;
import dev.rig.testkit.Exec;
import dev.rig.testkit.Tools;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each startup step run for real on a temporary root. */
class StartupStepsTest {
  private static final String KEY_A =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA a@x";
  private static final String KEY_B =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB b@x";
  private static final String KEY_C = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCCCCCCCCCCCCCCCC c@x";

  private static StepContext ctx(Path root, Map<String, String> env) {
    return ctx(root, env, StartupSettings.DEFAULT);
  }

  private static StepContext ctx(Path root, Map<String, String> env, StartupSettings s) {
    return new StepContext(root, env, s, new OutputSink(new ByteArrayOutputStream()));
  }

  private static String mode(Path p) throws Exception {
    return Exec.run(List.of("stat", "-c", "%a", p.toString())).ok().stdout().strip();
  }

  @Test
  void directoriesAreCreatedAndAnExistingWorkspaceIsLeftAlone(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("workspace"));
    Files.setPosixFilePermissions(
        root.resolve("workspace"), PosixFilePermissions.fromString("rwx------"));
    StepResult r = new RuntimeDirs().run(ctx(root, Map.of()));
    assertEquals(StepResult.Outcome.OK, r.outcome(), r.message());
    assertEquals("1777", mode(root.resolve("tmp")));
    assertEquals("755", mode(root.resolve("run/sshd")));
    assertTrue(Files.isDirectory(root.resolve("var/empty")));
    assertEquals("700", mode(root.resolve("workspace")), "a mounted volume must not be touched");
  }

  /** chmod(1) runs only when /tmp is not 1777 already: the check reads the sticky bit too. */
  @Test
  void theStickyModeIsReadWithoutChmod(@TempDir Path root) throws Exception {
    Path tmp = Files.createDirectories(root.resolve("tmp"));
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertFalse(RuntimeDirs.isSticky777(tmp), "0777 without the sticky bit");
    Exec.run(List.of("chmod", "1777", tmp.toString())).ok();
    assertTrue(RuntimeDirs.isSticky777(tmp));
    assertFalse(RuntimeDirs.isSticky777(root.resolve("missing")));
  }

  @Test
  void sshKeysAreMergedDeduplicatedAndAppended(@TempDir Path root) throws Exception {
    Path file = root.resolve("root/.ssh/authorized_keys");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "# vast.ai key\n" + KEY_A); // no trailing newline, as some write it
    Map<String, String> env =
        Map.of(
            "SSH_PUBLIC_KEYS", KEY_A + "\n" + KEY_B,
            "SSH_PUBLIC_KEY", KEY_C,
            "PUBLIC_KEY", KEY_B.replace("b@x", "other-comment") + "\nnot a key");
    StepResult r = new SshKeys().run(ctx(root, env));
    assertEquals(StepResult.Outcome.OK, r.outcome(), r.message());
    assertEquals(List.of("# vast.ai key", KEY_A, KEY_B, KEY_C), Files.readAllLines(file));
    assertTrue(r.message().contains("3 keys"), r.message());
    assertTrue(r.message().contains("1 non-key line ignored"), r.message());
    assertEquals("700", mode(file.getParent()));
    assertEquals("600", mode(file));
    // Idempotent: a restart adds nothing.
    new SshKeys().run(ctx(root, env));
    assertEquals(4, Files.readAllLines(file).size());
  }

  @Test
  void countsOfOneReadInTheSingular(@TempDir Path root) throws Exception {
    StepResult keys = new SshKeys().run(ctx(root, Map.of("PUBLIC_KEY", KEY_A)));
    assertTrue(
        keys.message().startsWith("1 key in /root/.ssh/authorized_keys (0 already there"),
        keys.message());
    Files.createDirectories(root.resolve("etc"));
    StepResult env = new EnvExport().run(ctx(root, Map.of("LANG", "C.UTF-8", "HF_TOKEN", "x")));
    assertTrue(env.message().startsWith("1 variable to /etc/environment"), env.message());
    assertTrue(env.message().contains("; 1 secret-looking one left out"), env.message());
  }

  @Test
  void noKeyAndNoPasswordSaysLoginWillFail(@TempDir Path root) throws Exception {
    StepResult r = new SshKeys().run(ctx(root, Map.of()));
    assertEquals(StepResult.Outcome.WARNING, r.outcome());
    assertTrue(r.message().contains("SSH login will fail"), r.message());
  }

  @Test
  void rootPasswordIsHashedOrLeftUnusableNeverEmpty(@TempDir Path root) throws Exception {
    Tools.require("openssl", "openssl");
    Path shadow = root.resolve("etc/shadow");
    Files.createDirectories(shadow.getParent());
    Files.writeString(shadow, "root::19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n");
    Files.setPosixFilePermissions(shadow, PosixFilePermissions.fromString("rw-r-----"));
    StepResult none = new RootPassword().run(ctx(root, Map.of()));
    assertEquals(StepResult.Outcome.OK, none.outcome(), none.message());
    assertTrue(Files.readString(shadow).startsWith("root:*:19000:"), Files.readString(shadow));

    new RootPassword().run(ctx(root, Map.of("ROOT_PASSWORD", "")));
    assertTrue(Files.readString(shadow).startsWith("root:*:"), "empty password must be refused");

    StepResult set = new RootPassword().run(ctx(root, Map.of("ROOT_PASSWORD", "s3cret pass")));
    assertEquals(StepResult.Outcome.OK, set.outcome(), set.message());
    String hash = Files.readAllLines(shadow).get(0).split(":")[1];
    assertTrue(hash.startsWith("$6$"), hash);
    String salt = hash.split("\\$")[2];
    String again =
        Exec.run(List.of("openssl", "passwd", "-6", "-salt", salt, "s3cret pass"))
            .ok()
            .stdout()
            .strip();
    assertEquals(again, hash);
    assertTrue(Files.readString(shadow).contains("daemon:*:19000"));
    assertEquals("640", mode(shadow));
    assertFalse(set.message().contains("s3cret"));
  }

  @Test
  void environmentIsExportedWithoutSecretsAndShellQuoted(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/environment"), "PATH=\"/usr/bin\"\nKEEP=\"1\"\n");
    Map<String, String> env =
        Map.of(
            "CUDA_VERSION", "12.4.1",
            "PATH", "/usr/local/cuda/bin:/usr/bin",
            "WEIRD", "it's a $dollar \"quote\"",
            "HF_TOKEN", "hf_x",
            "AWS_SECRET_ACCESS_KEY", "x",
            "ROOT_PASSWORD", "x",
            "PUBLIC_KEY", KEY_A,
            "RIG_AGE_IDENTITY", "AGE-SECRET-KEY-1X",
            "HOME", "/root");
    StepResult r = new EnvExport().run(ctx(root, env));
    assertTrue(r.message().contains("4 secret-looking ones left out"), r.message());
    String etc = Files.readString(root.resolve("etc/environment"));
    assertTrue(
        etc.contains("KEEP=\"1\"") && etc.contains("PATH=\"/usr/local/cuda/bin:/usr/bin\""), etc);
    assertFalse(
        etc.contains("hf_x")
            || etc.contains("AWS")
            || etc.contains("HOME")
            || etc.contains("AGE-SECRET"),
        etc);
    Path profile = root.resolve("etc/profile.d/rig-env.sh");
    Exec.Result sh =
        Exec.run(
                List.of(
                    "sh",
                    "-c",
                    ". "
                        + profile
                        + "; printf '%s|%s|%s' \"$WEIRD\" \"$CUDA_VERSION\" \"${HF_TOKEN-unset}\""),
                Map.of(),
                root,
                Duration.ofSeconds(10))
            .ok();
    assertEquals("it's a $dollar \"quote\"|12.4.1|unset", sh.stdout());
  }

  @Test
  void marketsAreDetectedWithPublicIpAndPorts(@TempDir Path root) throws Exception {
    Market vast =
        Market.detect(
            ctx(
                root,
                Map.of(
                    "VAST_CONTAINERLABEL", "C.123",
                    "PUBLIC_IPADDR", "1.2.3.4",
                    "VAST_TCP_PORT_22", "41022",
                    "VAST_TCP_PORT_8080", "41080")));
    assertEquals(
        "vast.ai, public IP 1.2.3.4, ports 22->41022 8080->41080; ssh -p 41022 root@1.2.3.4",
        vast.describe());
    Market runpod =
        Market.detect(
            ctx(
                root,
                Map.of(
                    "RUNPOD_POD_ID",
                    "x",
                    "RUNPOD_PUBLIC_IP",
                    "5.6.7.8",
                    "RUNPOD_TCP_PORT_22",
                    "10022")));
    assertEquals("RunPod", runpod.name());
    assertEquals("10022", runpod.ports().get(22));
    assertEquals("Salad", Market.detect(ctx(root, Map.of("SALAD_MACHINE_ID", "m"))).name());
    assertEquals(
        "Kubernetes",
        Market.detect(ctx(root, Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1"))).name());
    Files.createDirectories(root.resolve("run"));
    Files.writeString(root.resolve("run/.containerenv"), "");
    assertEquals("podman", Market.detect(ctx(root, Map.of())).name());
  }

  @Test
  void smallShmGetsAWarningWithTheFix(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("dev/shm"));
    StartupSettings huge =
        new StartupSettings(
            null, null, null, null, null, null, null, null, 1L << 50, null, null, null);
    StepResult warn = new ShmCheck().run(ctx(root, Map.of(), huge));
    assertEquals(StepResult.Outcome.WARNING, warn.outcome());
    assertTrue(warn.message().contains("--shm-size=") && warn.message().contains("medium: Memory"));
    StartupSettings tiny =
        new StartupSettings(null, null, null, null, null, null, null, null, 1L, null, null, null);
    assertEquals(StepResult.Outcome.OK, new ShmCheck().run(ctx(root, Map.of(), tiny)).outcome());
  }

  @Test
  void hostKeysAreGeneratedOnlyWhenMissing(@TempDir Path root) throws Exception {
    Tools.require("ssh-keygen", "openssh-client");
    StartupSettings s = StartupSettings.DEFAULT.withSshd(22, null);
    HostKeys keys = new HostKeys();
    StepResult r = keys.run(ctx(root, Map.of(), s));
    assertEquals("generated ed25519; generating rsa in the background", r.message());
    assertEquals(List.of("rsa"), keys.background().get(30, java.util.concurrent.TimeUnit.SECONDS));
    assertTrue(Files.exists(root.resolve("etc/ssh/ssh_host_rsa_key")));
    String ed = Files.readString(root.resolve("etc/ssh/ssh_host_ed25519_key.pub"));
    StepResult again = new HostKeys().run(ctx(root, Map.of(), s));
    assertEquals("kept ed25519, rsa", again.message());
    assertEquals(ed, Files.readString(root.resolve("etc/ssh/ssh_host_ed25519_key.pub")));
  }

  @Test
  void sshdConfigIsKeyOnlyUnlessARootPasswordIsSet(@TempDir Path root) {
    StartupSettings s = StartupSettings.DEFAULT.withSshd(2222, null);
    String keys = SshdConfig.render(ctx(root, Map.of("CUDA_VERSION", "12.4"), s));
    assertTrue(keys.contains("Port 2222\n"));
    assertTrue(keys.contains("PasswordAuthentication no\n"));
    assertTrue(keys.contains("PermitRootLogin prohibit-password\n"));
    assertTrue(keys.contains("PermitEmptyPasswords no\n"));
    assertTrue(keys.contains("Subsystem sftp internal-sftp\n"));
    assertTrue(keys.contains("AcceptEnv LANG LC_*\n"));
    assertTrue(keys.contains("SetEnv \"CUDA_VERSION=12.4\"\n"));
    String pw = SshdConfig.render(ctx(root, Map.of("ROOT_PASSWORD", "x"), s));
    assertTrue(pw.contains("PasswordAuthentication yes\n") && pw.contains("PermitRootLogin yes\n"));
    assertTrue(pw.contains("PermitEmptyPasswords no\n"));
    assertFalse(pw.contains("ROOT_PASSWORD"));
  }

  @Test
  void extraStartupScriptRunsLastWithPrefixedOutputAndFailureIsReported(@TempDir Path root)
      throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    StartupSettings ok =
        new StartupSettings(
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            "echo hello $GREETING; touch " + root.resolve("ran"),
            null,
            null,
            null,
            null);
    StepResult r =
        new ExtraStartupScript()
            .run(new StepContext(root, Map.of("GREETING", "world"), ok, new OutputSink(log)));
    assertEquals(StepResult.Outcome.OK, r.outcome(), r.message());
    assertTrue(Files.exists(root.resolve("ran")));
    assertEquals(
        "[startup-script] hello world\n", log.toString(java.nio.charset.StandardCharsets.UTF_8));
    StartupSettings bad =
        new StartupSettings(
            null, null, null, null, null, null, null, "exit 7", null, null, null, null);
    StepResult f = new ExtraStartupScript().run(ctx(root, Map.of(), bad));
    assertEquals(StepResult.Outcome.FAILED, f.outcome());
    assertTrue(f.message().startsWith("exited with code 7"), f.message());
  }

  @Test
  void tunIsReportedEitherWay(@TempDir Path root) throws Exception {
    assertTrue(new TunCheck().run(ctx(root, Map.of())).message().contains("userspace"));
  }

  @Test
  void aStartupScriptPastItsTimeoutIsKilledWithItsChildren(@TempDir Path root) throws Exception {
    Path pid = root.resolve("child.pid");
    StartupSettings hanging =
        new StartupSettings(
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            "sleep 60 & echo $! > " + pid + "; wait",
            null,
            null,
            null,
            Duration.ofMillis(500));
    long t0 = System.nanoTime();
    StepResult r = new ExtraStartupScript().run(ctx(root, Map.of(), hanging));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(StepResult.Outcome.FAILED, r.outcome(), r.message());
    assertTrue(r.message().startsWith("still running at its timeout (500ms"), r.message());
    assertTrue(ms < 5_000, "took " + ms + " ms");
    assertTrue(gone(Long.parseLong(Files.readString(pid).strip())), "the background child lives");
  }

  @Test
  void aStopSignalEndsAHangingStartupScriptAtOnce(@TempDir Path root) throws Exception {
    StartupSettings hanging =
        new StartupSettings(
            null, null, null, null, null, null, null, "sleep 60", null, null, null, null);
    java.util.concurrent.CompletableFuture<String> stop =
        new java.util.concurrent.CompletableFuture<>();
    java.util.concurrent.CompletableFuture.delayedExecutor(
            300, java.util.concurrent.TimeUnit.MILLISECONDS)
        .execute(() -> stop.complete("TERM"));
    long t0 = System.nanoTime();
    StepResult r = new ExtraStartupScript(stop).run(ctx(root, Map.of(), hanging));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(StepResult.Outcome.FAILED, r.outcome(), r.message());
    assertTrue(r.message().startsWith("stopped by a stop signal"), r.message());
    assertTrue(ms < 5_000, "took " + ms + " ms");
  }

  private static boolean gone(long pid) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      if (ProcessHandle.of(pid).map(ph -> !ph.isAlive()).orElse(true)) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }
}
