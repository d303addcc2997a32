package dev.rig.init.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.rig.init.config.StartupSettings;
import dev.rig.init.report.OutputSink;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The environment exported to SSH sessions: the secret rule and the files' modes. */
class EnvExportTest {
  private static final String PUB =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA a@x";

  private static Map<String, String> env() {
    Map<String, String> env = new TreeMap<>();
    // secrets by name
    env.put("ROOT_PASSWORD", "pw-root");
    env.put("RIG_AGE_IDENTITY", "AGE-SECRET-KEY-1QQQ");
    env.put("TS_AUTHKEY", "tskey-auth-x");
    env.put("DB_PASSWORD", "pw-db");
    env.put("MYSQL_PWD", "pw-mysql");
    env.put("HF_TOKEN", "hf_x");
    env.put("GITHUB_TOKEN", "ghp_x");
    env.put("DJANGO_SECRET", "dj-x");
    env.put("OPENAI_API_KEY", "sk-x");
    env.put("SSH_PRIVATE_KEY", "pk-x");
    env.put("SSH_PUBLIC_KEY_PASSWORD", "pw-pub");
    // secrets by value, whatever the name
    env.put("DATABASE_URL", "postgres://app:pw-url@127.0.0.1:5432/app");
    env.put("SENTRY_DSN", "https://abc123@o1.example.invalid/42");
    env.put("GIT_REMOTE", "https://ghp_tok@example.invalid/org/repo.git");
    env.put("DEPLOY_MATERIAL", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n");
    // not secrets
    env.put("PUBLIC_KEY", PUB);
    env.put("SSH_PUBLIC_KEY", PUB);
    env.put("SSH_PUBLIC_KEYS", PUB + "\n" + PUB);
    env.put("CUDA_VERSION", "12.4.1");
    env.put("JUPYTER_URL", "http://127.0.0.1:8888/lab?x=a@b");
    env.put("MAIL_ADDRESS", "me@example.invalid");
    return env;
  }

  @Test
  void secretsAreLeftOutByNameAndByValueButPublicKeysStay() {
    assertEquals(
        List.of(
            "CUDA_VERSION",
            "JUPYTER_URL",
            "MAIL_ADDRESS",
            "PUBLIC_KEY",
            "SSH_PUBLIC_KEY",
            "SSH_PUBLIC_KEYS"),
        List.copyOf(EnvExport.exported(env()).keySet()));
  }

  @Test
  void theExportedFilesAreNotWorldReadableAndHoldNoSecret(@TempDir Path root) throws Exception {
    Path environment = root.resolve("etc/environment");
    Files.createDirectories(environment.getParent());
    Files.writeString(environment, "LANG=\"C.UTF-8\"\n"); // the image's file, 0644
    Files.setPosixFilePermissions(environment, PosixFilePermissions.fromString("rw-r--r--"));
    StepContext ctx =
        new StepContext(
            root, env(), StartupSettings.DEFAULT, new OutputSink(new ByteArrayOutputStream()));
    new EnvExport().run(ctx);
    Path profile = root.resolve("etc/profile.d/rig-env.sh");
    for (Path file : List.of(environment, profile)) {
      assertEquals(
          "rw-r-----",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
          file.toString());
      String text = Files.readString(file);
      for (String secret :
          List.of("pw-", "AGE-SECRET", "tskey", "hf_x", "ghp_", "dj-x", "sk-x", "pk-x", "abc123")) {
        assertFalse(text.contains(secret), secret + " in " + file + ":\n" + text);
      }
    }
    String sshd = SshdConfig.render(ctx);
    assertFalse(sshd.contains("pw-") || sshd.contains("hf_x") || sshd.contains("abc123"), sshd);
  }
}
