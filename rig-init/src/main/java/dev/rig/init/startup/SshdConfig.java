package dev.rig.init.startup;

import dev.rig.init.config.ReadinessProbe;
import dev.rig.init.config.RestartPolicy;
import dev.rig.init.config.RestartSpec;
import dev.rig.init.config.ServiceSpec;
import dev.rig.init.config.StartupSettings;
import dev.rig.init.config.TcpCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * rig's own sshd_config, written at every start (never the image's, which may allow passwords) and
 * the built-in sshd service that uses it. Keys only unless ROOT_PASSWORD is set; never empty
 * passwords.
 *
 * <p>UsePAM is off: containers have no PAM session to set up and PAM's account stack differs per
 * distribution. The price is that pam_env does not read /etc/environment, which is why the
 * container's variables go to sessions through SetEnv here.
 *
 * <p>Algorithms: only modern ones, each supported by OpenSSH 8.0 and later on the client side, and
 * by both the sshd of Debian bookworm (9.2, where the tests run) and trixie (10.0, in images): sshd
 * refuses a config that names an algorithm it does not know, so nothing newer (mlkem768x25519) is
 * listed. Left out: NIST-curve ECDH and group14/SHA-1 key exchange, CBC ciphers, SHA-1 MACs and
 * 64-bit-tag MACs (umac-64), non-ETM MACs, ssh-rsa (SHA-1) host-key signatures and ECDSA host keys.
 */
public final class SshdConfig {
  public static final String FILE = "/run/rig/sshd_config";

  /** The name rig's sshd has among the services (status, dependsOn, the log prefix). */
  public static final String SERVICE = "sshd";

  /** Key exchange: post-quantum hybrid first, then X25519, then large finite-field groups. */
  public static final List<String> KEX =
      List.of(
          "sntrup761x25519-sha512@openssh.com",
          "curve25519-sha256",
          "curve25519-sha256@libssh.org",
          "diffie-hellman-group16-sha512",
          "diffie-hellman-group18-sha512");

  /** AEAD ciphers first; CTR (with an ETM MAC) for clients without them. */
  public static final List<String> CIPHERS =
      List.of(
          "chacha20-poly1305@openssh.com",
          "aes256-gcm@openssh.com",
          "aes128-gcm@openssh.com",
          "aes256-ctr",
          "aes192-ctr",
          "aes128-ctr");

  /** Encrypt-then-MAC only, SHA-2 or 128-bit UMAC. */
  public static final List<String> MACS =
      List.of(
          "hmac-sha2-256-etm@openssh.com",
          "hmac-sha2-512-etm@openssh.com",
          "umac-128-etm@openssh.com");

  /** Host-key signatures: ed25519, and RSA with SHA-2 only. */
  public static final List<String> HOST_KEY_ALGORITHMS =
      List.of("ssh-ed25519", "rsa-sha2-512", "rsa-sha2-256");

  private SshdConfig() {}

  public static String render(StepContext ctx) {
    StartupSettings s = ctx.settings();
    boolean password = ctx.env("ROOT_PASSWORD") != null;
    StringBuilder b = new StringBuilder("# written by rig-init at every start; edits are lost\n");
    b.append("Port ").append(s.sshPort()).append('\n');
    if (s.sshListenAddress() != null) {
      b.append("ListenAddress ").append(s.sshListenAddress()).append('\n');
    }
    for (String type : s.sshHostKeyTypes()) {
      Path key = ctx.path(HostKeys.keyPath(type));
      if (Files.exists(key)) {
        b.append("HostKey ").append(key).append('\n');
      }
    }
    b.append("KexAlgorithms ").append(String.join(",", KEX)).append('\n');
    b.append("Ciphers ").append(String.join(",", CIPHERS)).append('\n');
    b.append("MACs ").append(String.join(",", MACS)).append('\n');
    b.append("HostKeyAlgorithms ").append(String.join(",", HOST_KEY_ALGORITHMS)).append('\n');
    b.append("PermitRootLogin ").append(password ? "yes" : "prohibit-password").append('\n');
    b.append("PasswordAuthentication ").append(password ? "yes" : "no").append('\n');
    b.append("KbdInteractiveAuthentication no\n");
    b.append("PermitEmptyPasswords no\n");
    b.append("PubkeyAuthentication yes\n");
    // Outside a real root (tests) the key file is not under the user's home.
    b.append("AuthorizedKeysFile ")
        .append(ctx.realRoot() ? ".ssh/authorized_keys" : ctx.path(SshKeys.FILE).toString())
        .append('\n');
    b.append("StrictModes ").append(ctx.realRoot() ? "yes" : "no").append('\n');
    b.append("UsePAM no\n");
    b.append("PidFile none\n");
    b.append("PrintMotd no\n");
    b.append("Subsystem sftp internal-sftp\n");
    b.append("AcceptEnv LANG LC_*\n");
    StringBuilder env = new StringBuilder();
    for (Map.Entry<String, String> e : EnvExport.exported(ctx.env()).entrySet()) {
      String v = e.getValue();
      if (!v.contains("\"") && !v.contains("\n") && !v.contains("\\")) {
        env.append(" \"").append(e.getKey()).append('=').append(v).append('"');
      }
    }
    if (env.length() > 0) {
      // sshd honours only the first SetEnv line, so every variable goes on one.
      b.append("SetEnv").append(env).append('\n');
    }
    return b.toString();
  }

  /** Writes the config (0600: it lists the environment) and returns its path. */
  public static Path write(StepContext ctx) throws Exception {
    Path file = ctx.path(FILE);
    AtomicFiles.replace(file, render(ctx), PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  /** The built-in service: restarted always, ready when its port accepts. */
  public static ServiceSpec service(StartupSettings s, Path config) {
    String host = s.sshListenAddress() == null ? "127.0.0.1" : s.sshListenAddress();
    ReadinessProbe ready =
        new ReadinessProbe(
            new TcpCheck(host, s.sshPort()),
            null,
            null,
            null,
            Duration.ofMillis(20),
            Duration.ofSeconds(30),
            Duration.ofSeconds(1));
    return ServiceSpec.of(List.of(s.sshdPath(), "-D", "-e", "-f", config.toString()))
        .withRestart(
            new RestartSpec(
                RestartPolicy.ALWAYS, null, Duration.ofSeconds(1), Duration.ofSeconds(30), null))
        .withStop("TERM", Duration.ofSeconds(5))
        .withReadiness(ready);
  }
}
