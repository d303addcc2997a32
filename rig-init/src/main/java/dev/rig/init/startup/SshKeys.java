package dev.rig.init.startup;

import dev.rig.init.report.Plural;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Merges SSH public keys from every convention markets use into root's authorized_keys: appended,
 * never overwritten (vast.ai writes its own keys there before we start), de-duplicated by key (type
 * and base64, ignoring comments and options), with modes 700/600 and root ownership.
 */
public final class SshKeys implements StartupStep {
  /** nix2gpu, vast.ai / RunPod per-pod override, RunPod. */
  public static final List<String> SOURCES =
      List.of("SSH_PUBLIC_KEYS", "SSH_PUBLIC_KEY", "PUBLIC_KEY");

  static final String FILE = "/root/.ssh/authorized_keys";

  @Override
  public String name() {
    return "ssh-keys";
  }

  @Override
  public StepResult run(StepContext ctx) throws Exception {
    Path file = ctx.path(FILE);
    Path dir = file.getParent();
    Files.createDirectories(dir);
    Set<String> have = new LinkedHashSet<>();
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file)) {
        identity(line).ifPresent(have::add);
      }
    }
    int existing = have.size();
    List<String> add = new ArrayList<>();
    List<String> from = new ArrayList<>();
    int ignored = 0;
    for (String source : SOURCES) {
      String value = ctx.env(source);
      if (value == null) {
        continue;
      }
      int n = 0;
      for (String line : value.split("\\r?\\n|\\\\n")) {
        if (line.isBlank() || line.strip().startsWith("#")) {
          continue;
        }
        Optional<String> id = identity(line);
        if (id.isEmpty()) {
          ignored++;
        } else if (have.add(id.get())) {
          add.add(line.strip());
          n++;
        }
      }
      if (n > 0) {
        from.add(n + " from " + source);
      }
    }
    if (!add.isEmpty()) {
      boolean needsNewline = Files.exists(file) && Files.size(file) > 0 && !endsWithNewline(file);
      String text = (needsNewline ? "\n" : "") + String.join("\n", add) + "\n";
      Files.writeString(
          file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } else if (!Files.exists(file)) {
      Files.createFile(file);
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    chownToRoot(dir);
    chownToRoot(file);
    String msg =
        Plural.of(have.size(), "key", "keys")
            + " in "
            + FILE
            + " ("
            + existing
            + " already there"
            + (from.isEmpty() ? "" : ", added " + String.join(", ", from))
            + (ignored > 0
                ? ", " + Plural.of(ignored, "non-key line", "non-key lines") + " ignored"
                : "")
            + ")";
    String password = ctx.env("ROOT_PASSWORD");
    if (have.isEmpty() && password == null) {
      return StepResult.warning(
          name(),
          msg
              + "; SSH login will fail: set PUBLIC_KEY, SSH_PUBLIC_KEY or SSH_PUBLIC_KEYS (or"
              + " ROOT_PASSWORD)");
    }
    return StepResult.ok(name(), msg);
  }

  /** "type base64" of an authorized_keys line, skipping any options in front; empty if none. */
  static Optional<String> identity(String line) {
    String[] t = line.strip().split("\\s+");
    for (int i = 0; i + 1 < t.length; i++) {
      if (t[i].startsWith("ssh-")
          || t[i].startsWith("ecdsa-sha2-")
          || t[i].startsWith("sk-ssh-")
          || t[i].startsWith("sk-ecdsa-")) {
        return Optional.of(t[i] + " " + t[i + 1]);
      }
    }
    return Optional.empty();
  }

  private static boolean endsWithNewline(Path file) throws java.io.IOException {
    byte[] b = Files.readAllBytes(file);
    return b.length == 0 || b[b.length - 1] == '\n';
  }

  private static void chownToRoot(Path p) {
    try {
      Files.setAttribute(p, "unix:uid", 0, LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(p, "unix:gid", 0, LinkOption.NOFOLLOW_LINKS);
    } catch (Exception e) {
      // not root (tests as a user): the file stays the caller's
    }
  }
}
