package dev.rig.init.startup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.init.config.RuntimeConfig;
import dev.rig.init.config.SecretSpec;
import dev.rig.init.config.StartupSettings;
import dev.rig.init.report.OutputSink;
import dev.rig.testkit.Exec;
import dev.rig.testkit.Tools;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets encrypted by the real age CLI to an X25519 key, an ssh-ed25519 and an ssh-rsa host key
 * made by ssh-keygen, decrypted by rig-init into a temporary root.
 */
class SecretsTest {
  private static final String USER = System.getProperty("user.name");

  private static StepContext ctx(Path root, Map<String, String> env) {
    return new StepContext(
        root, env, StartupSettings.DEFAULT, new OutputSink(new ByteArrayOutputStream()));
  }

  /** Encrypts {@code plaintext} with age to the given recipient flags, into the image's path. */
  private static void encrypt(Path root, String name, byte[] plaintext, List<String> flags)
      throws Exception {
    Tools.require("age", "age");
    Path plain = root.resolve(name + ".plain");
    Files.write(plain, plaintext);
    Path out = root.resolve("etc/rig/secrets/" + name + ".age");
    Files.createDirectories(out.getParent());
    List<String> argv = new ArrayList<>(List.of("age"));
    argv.addAll(flags);
    argv.addAll(List.of("-o", out.toString(), plain.toString()));
    Exec.run(argv).ok();
    Files.delete(plain);
  }

  private static Path hostKey(Path root, String type) throws Exception {
    Tools.require("ssh-keygen", "openssh-client");
    Path key = root.resolve("etc/ssh/ssh_host_" + type + "_key");
    Files.createDirectories(key.getParent());
    List<String> argv =
        new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-f", key.toString()));
    if (type.equals("rsa")) {
      argv.addAll(List.of("-b", "2048"));
    }
    Exec.run(argv).ok();
    return key;
  }

  private static SecretSpec secret(String name) {
    return new SecretSpec(name, "/etc/rig/secrets/" + name + ".age", null, USER);
  }

  private static String mode(Path p) throws Exception {
    return Exec.run(List.of("stat", "-c", "%a", p.toString())).ok().stdout().strip();
  }

  @Test
  void hostKeysAndAgeKeyOpenTheirSecretsWithMode0400(@TempDir Path root) throws Exception {
    Path ed = hostKey(root, "ed25519");
    Path rsa = hostKey(root, "rsa");
    Tools.require("age-keygen", "age");
    Path ageKey = root.resolve("age.key");
    Exec.run(List.of("age-keygen", "-o", ageKey.toString())).ok();
    String agePublic = Exec.run(List.of("age-keygen", "-y", ageKey.toString())).ok().stdout();
    byte[] binary = new byte[300];
    for (int i = 0; i < binary.length; i++) {
      binary[i] = (byte) i; // every byte value, newlines included, must come back unchanged
    }
    encrypt(root, "ed", "ed-secret\n".getBytes(), List.of("-R", ed + ".pub"));
    encrypt(root, "rsa", binary, List.of("-a", "-R", rsa + ".pub"));
    encrypt(root, "x", "x-secret".getBytes(), List.of("-r", agePublic.strip()));
    Files.createDirectories(root.resolve("proc"));
    Files.writeString(
        root.resolve("proc/mounts"), "overlay / overlay rw 0 0\ntmpfs /run tmpfs rw,nosuid 0 0\n");
    Map<String, String> env =
        Map.of("RIG_AGE_IDENTITY", Files.readString(ageKey).lines().reduce((a, b) -> b).get());

    StepResult r =
        new Secrets(
                List.of(secret("ed"), secret("rsa"), secret("x")), RuntimeConfig.DEFAULT_IDENTITIES)
            .run(ctx(root, env));

    assertEquals(StepResult.Outcome.OK, r.outcome(), r.message());
    assertEquals(
        "decrypted ed (ssh-ed25519), rsa (ssh-rsa), x (X25519) to /run/secrets (mode per secret)"
            + " on tmpfs",
        r.message());
    Path dir = root.resolve("run/secrets");
    assertEquals("ed-secret\n", Files.readString(dir.resolve("ed")));
    assertArrayEquals(binary, Files.readAllBytes(dir.resolve("rsa")));
    assertEquals("x-secret", Files.readString(dir.resolve("x")));
    assertEquals("400", mode(dir.resolve("ed")));
    assertEquals("400", mode(dir.resolve("x")));
    try (var files = Files.list(dir)) {
      assertEquals(3, files.count(), "no temporary files left behind");
    }
  }

  @Test
  void aSecretNoIdentityOpensIsFatalAndNamesWhatWasTried(@TempDir Path root) throws Exception {
    hostKey(root, "ed25519");
    Path other = root.resolve("other");
    Exec.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString())).ok();
    encrypt(root, "token", "t".getBytes(), List.of("-R", other + ".pub"));

    StepResult r =
        new Secrets(List.of(secret("token")), RuntimeConfig.DEFAULT_IDENTITIES)
            .run(ctx(root, Map.of()));

    assertTrue(r.fatal(), r.message());
    assertTrue(
        r.message()
            .startsWith(
                "cannot decrypt secret 'token' (/etc/rig/secrets/token.age) with the identities"
                    + " [/etc/ssh/ssh_host_ed25519_key, /etc/ssh/ssh_host_rsa_key]: tried"
                    + " /etc/ssh/ssh_host_ed25519_key (ssh-ed25519)"),
        r.message());
    assertTrue(r.message().contains("/etc/ssh/ssh_host_rsa_key does not exist"), r.message());
    assertTrue(r.message().contains("Fix:"), r.message());
    assertFalse(Files.exists(root.resolve("run/secrets/token")));
  }

  @Test
  void notOnTmpfsWarnsWithTheFix(@TempDir Path root) throws Exception {
    Path ed = hostKey(root, "ed25519");
    encrypt(root, "a", "a".getBytes(), List.of("-R", ed + ".pub"));
    Files.createDirectories(root.resolve("proc"));
    Files.writeString(root.resolve("proc/mounts"), "overlay / overlay rw 0 0\n");

    StepResult r =
        new Secrets(
                List.of(new SecretSpec("a", "/etc/rig/secrets/a.age", "0440", USER)),
                List.of("/etc/ssh/ssh_host_ed25519_key"))
            .run(ctx(root, Map.of()));

    assertEquals(StepResult.Outcome.WARNING, r.outcome(), r.message());
    assertTrue(r.message().contains("/run/secrets is on overlay, not a tmpfs"), r.message());
    assertTrue(r.message().contains("Fix: --tmpfs /run/secrets"), r.message());
    assertEquals("440", mode(root.resolve("run/secrets/a")));
  }

  @Test
  void aMissingSourceIsFatal(@TempDir Path root) throws Exception {
    StepResult r =
        new Secrets(List.of(secret("gone")), RuntimeConfig.DEFAULT_IDENTITIES)
            .run(ctx(root, Map.of()));
    assertTrue(r.fatal());
    assertEquals(
        "secret 'gone': /etc/rig/secrets/gone.age does not exist in the image", r.message());
  }

  @Test
  void noSecretsIsSkipped(@TempDir Path root) throws Exception {
    StepResult r =
        new Secrets(List.of(), RuntimeConfig.DEFAULT_IDENTITIES).run(ctx(root, Map.of()));
    assertEquals(StepResult.Outcome.SKIPPED, r.outcome());
  }
}
