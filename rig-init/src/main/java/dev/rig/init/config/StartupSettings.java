package dev.rig.init.config;

/**
 * Settings for the startup steps that run before services. Placeholders for now: the steps
 * themselves (sshd, secrets, the user's script) are wired in later.
 *
 * @param sshd whether to prepare and run sshd
 * @param sshPort the port sshd listens on
 * @param secretsDir where secrets are decrypted at run time, never stored in a layer
 * @param extraStartupScript a shell script run once before services start
 */
public record StartupSettings(
    Boolean sshd, Integer sshPort, String secretsDir, String extraStartupScript) {
  public static final StartupSettings DEFAULT = new StartupSettings(null, null, null, null);

  public StartupSettings {
    sshd = sshd == null ? Boolean.FALSE : sshd;
    sshPort = sshPort == null ? 22 : sshPort;
    secretsDir = secretsDir == null ? "/run/secrets" : secretsDir;
  }
}
