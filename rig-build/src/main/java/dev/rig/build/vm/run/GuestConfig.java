package dev.rig.build.vm.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What {@code rig vm run} tells the guest that a container would get from its environment: the SSH
 * public keys root may log in with, as {@code SSH_PUBLIC_KEYS} (the variable rig-init already reads
 * in containers; several keys separated by a literal {@code \n}), and the operator's variables
 * ({@code --env}, ROOT_PASSWORD among them). It travels on the read-only config disk ({@link
 * ConfigDisk}), never on the kernel command line, which every guest user can read in /proc/cmdline
 * and every host user in the process list.
 */
public record GuestConfig(List<String> sshAuthorizedKeys, Map<String, String> variables) {
  /** The variable rig-init merges into root's authorized_keys. */
  public static final String KEYS_VARIABLE = "SSH_PUBLIC_KEYS";

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public GuestConfig {
    sshAuthorizedKeys = List.copyOf(sshAuthorizedKeys);
    variables = Map.copyOf(variables);
    for (Map.Entry<String, String> variable : variables.entrySet()) {
      if (!NAME.matcher(variable.getKey()).matches()) {
        throw new IllegalArgumentException(
            "--env "
                + variable.getKey()
                + ": not a variable name (letters, digits and _, not starting with a digit)");
      }
      if (variable.getValue().indexOf('\n') >= 0 || variable.getValue().indexOf('\0') >= 0) {
        throw new IllegalArgumentException(
            "--env "
                + variable.getKey()
                + ": the value holds a newline or NUL, which the guest's environment file cannot"
                + " carry; pass it on one line");
      }
    }
  }

  public static GuestConfig none() {
    return new GuestConfig(List.of(), Map.of());
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
    return new GuestConfig(keys, Map.of());
  }

  /** This config with the operator's variables added (a later value for a name wins). */
  public GuestConfig withVariables(Map<String, String> more) {
    Map<String, String> all = new LinkedHashMap<>(variables);
    all.putAll(more);
    return new GuestConfig(sshAuthorizedKeys, all);
  }

  public boolean isEmpty() {
    return sshAuthorizedKeys.isEmpty() && variables.isEmpty();
  }

  /**
   * The environment file the config disk carries, one {@code KEY=VALUE} a line, sorted by name so
   * that the same settings give the same bytes; the keys come last and win over an {@code --env
   * SSH_PUBLIC_KEYS}, as the explicit --ssh-key option should.
   */
  public String envFile() {
    StringBuilder text = new StringBuilder();
    variables.entrySet().stream()
        .filter(e -> !(e.getKey().equals(KEYS_VARIABLE) && !sshAuthorizedKeys.isEmpty()))
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> text.append(e.getKey()).append('=').append(e.getValue()).append('\n'));
    if (!sshAuthorizedKeys.isEmpty()) {
      text.append(KEYS_VARIABLE).append('=').append(String.join("\\n", sshAuthorizedKeys));
      text.append('\n');
    }
    return text.toString();
  }

  /** Never the values: a record's default would print ROOT_PASSWORD into a log. */
  @Override
  public String toString() {
    return "GuestConfig["
        + sshAuthorizedKeys.size()
        + " keys, variables "
        + variables.keySet()
        + "]";
  }
}
