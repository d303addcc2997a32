package dev.rig.init.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.init.config.ConfigException;
import dev.rig.init.config.ConfigLoader;
import dev.rig.init.config.StartupSettings;
import dev.rig.init.report.OutputSink;
import dev.rig.testkit.Exec;
import dev.rig.testkit.Tools;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rig's sshd_config: modern algorithms only, and a real sshd accepts every name in it. */
class SshdConfigTest {
  private static StepContext ctx(Path root) {
    return new StepContext(
        root,
        Map.of(),
        StartupSettings.DEFAULT.withSshd(2222, "127.0.0.1"),
        new OutputSink(new ByteArrayOutputStream()));
  }

  private static String line(String config, String keyword) {
    return config
        .lines()
        .filter(l -> l.startsWith(keyword + " "))
        .reduce((a, b) -> a + "\n" + b)
        .orElse("(no " + keyword + " line)");
  }

  @Test
  void offersExactlyTheModernAlgorithms(@TempDir Path root) {
    String config = SshdConfig.render(ctx(root));
    assertEquals(
        "KexAlgorithms sntrup761x25519-sha512@openssh.com,curve25519-sha256,"
            + "curve25519-sha256@libssh.org,diffie-hellman-group16-sha512,"
            + "diffie-hellman-group18-sha512",
        line(config, "KexAlgorithms"));
    assertEquals(
        "Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,"
            + "aes256-ctr,aes192-ctr,aes128-ctr",
        line(config, "Ciphers"));
    assertEquals(
        "MACs hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,"
            + "umac-128-etm@openssh.com",
        line(config, "MACs"));
    assertEquals(
        "HostKeyAlgorithms ssh-ed25519,rsa-sha2-512,rsa-sha2-256",
        line(config, "HostKeyAlgorithms"));
    for (String weak : List.of("nistp", "cbc", "umac-64", "hmac-sha1", "group14", "ssh-rsa,")) {
      assertTrue(!config.contains(weak), weak + " offered:\n" + config);
    }
  }

  @Test
  void theHostsSshdAcceptsTheConfig(@TempDir Path root) throws Exception {
    Path sshd = Tools.require("sshd", "openssh-server");
    Tools.require("ssh-keygen", "openssh-client");
    Files.createDirectories(Path.of("/run/sshd"));
    Path key = root.resolve("etc/ssh/ssh_host_ed25519_key");
    Files.createDirectories(key.getParent());
    Exec.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())).ok();
    Path config = SshdConfig.write(ctx(root));
    Exec.Result r = Exec.run(List.of(sshd.toString(), "-t", "-f", config.toString()));
    assertEquals(0, r.exitCode(), r.describe() + "\n" + Files.readString(config));
  }

  @Test
  void hostKeyTypesOtherThanEd25519AndRsaAreRejected() {
    ConfigException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ConfigException.class,
            () ->
                ConfigLoader.parse(
                    "{\"startup\":{\"sshHostKeyTypes\":[\"ed25519\",\"dsa\",\"ecdsa\"]}}", "f"));
    assertTrue(
        e.getMessage().contains("startup.sshHostKeyTypes: 'dsa' is not offered"), e.getMessage());
    assertTrue(e.getMessage().contains("'ecdsa'"), e.getMessage());
  }

  @Test
  void rsaHostKeysAreAtLeast3072Bits(@TempDir Path root) throws Exception {
    Tools.require("ssh-keygen", "openssh-client");
    StepContext ctx = ctx(root);
    HostKeys keys = new HostKeys();
    StepResult r = keys.run(ctx);
    assertEquals(StepResult.Outcome.OK, r.outcome(), r.message());
    assertEquals(List.of("rsa"), keys.background().join());
    Exec.Result bits =
        Exec.run(List.of("ssh-keygen", "-l", "-f", ctx.path(HostKeys.keyPath("rsa")).toString()));
    assertTrue(bits.ok().stdout().startsWith("3072 "), bits.stdout());
  }
}
