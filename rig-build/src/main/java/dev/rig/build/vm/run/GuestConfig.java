package dev.rig.build.vm.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/**
 * What {@code rig vm run} tells the guest that a container would get from its environment: for now
 * the SSH public keys root may log in with, as {@code SSH_PUBLIC_KEYS} (the variable rig-init
 * already reads in containers; several keys separated by a literal {@code \n}). It travels on the
 * kernel command line as {@code rig.env=<base64 of KEY=VALUE lines>}, which the VM's init (part of
 * the VM build) decodes into the environment of the image's entrypoint. The format is written down
 * in docs/vm.md. Only public data goes here: the host's process list shows the command line.
 */
public record GuestConfig(List<String> sshAuthorizedKeys) {
  /** The kernel parameter's name. */
  public static final String PARAMETER = "rig.env";

  /** The variable rig-init merges into root's authorized_keys. */
  public static final String KEYS_VARIABLE = "SSH_PUBLIC_KEYS";

  public GuestConfig {
    sshAuthorizedKeys = List.copyOf(sshAuthorizedKeys);
  }

  public static GuestConfig none() {
    return new GuestConfig(List.of());
  }

  /**
   * Reads the public keys in {@code file} (one a line, as in authorized_keys); a private key or an
   * empty file is refused, saying which file.
   */
  public static GuestConfig withKeyFile(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          "--ssh-key "
              + file
              + ": no such file; give a public key (for example ~/.ssh/id_ed25519.pub)");
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    if (text.contains("PRIVATE KEY")) {
      throw new IOException(
          "--ssh-key "
              + file
              + " is a private key; give its public half (the .pub file): private keys never leave"
              + " the host");
    }
    List<String> keys =
        text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    if (keys.isEmpty()) {
      throw new IOException("--ssh-key " + file + " holds no key; give an OpenSSH public key file");
    }
    for (String key : keys) {
      if (!key.matches("^(ssh-|ecdsa-|sk-)[^ ]+ [A-Za-z0-9+/=]+( .*)?$")) {
        throw new IOException(
            "--ssh-key "
                + file
                + ": '"
                + (key.length() > 40 ? key.substring(0, 40) + "..." : key)
                + "' is not an OpenSSH public key line (TYPE BASE64 [COMMENT])");
      }
    }
    return new GuestConfig(keys);
  }

  public boolean isEmpty() {
    return sshAuthorizedKeys.isEmpty();
  }

  /** The environment file the parameter carries, one {@code KEY=VALUE} a line. */
  public String envFile() {
    return KEYS_VARIABLE + "=" + String.join("\\n", sshAuthorizedKeys) + "\n";
  }

  /** {@code rig.env=...}, one kernel command line parameter. */
  public String kernelParameter() {
    return PARAMETER
        + "="
        + Base64.getEncoder().encodeToString(envFile().getBytes(StandardCharsets.UTF_8));
  }
}
