package dev.rig.init.startup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Sets root's password from ROOT_PASSWORD (SHA-512 crypt by {@code openssl passwd -6}, the password
 * on stdin so it never shows in ps), otherwise makes sure root has no usable password and never an
 * empty one.
 *
 * <p>"No usable password" is {@code *}, not {@code !}: sshd without PAM treats a "!" password as a
 * locked account and refuses even key logins, which is what rig's sshd_config (UsePAM no) runs.
 */
public final class RootPassword implements StartupStep {
  @Override
  public String name() {
    return "root-password";
  }

  @Override
  public StepResult run(StepContext ctx) throws Exception {
    Path shadow = ctx.path("/etc/shadow");
    String password = ctx.env().get("ROOT_PASSWORD");
    boolean set = password != null && !password.isEmpty();
    if (!Files.exists(shadow)) {
      return set
          ? StepResult.failed(name(), "/etc/shadow is missing; ROOT_PASSWORD cannot be set")
          : StepResult.skipped(name(), "/etc/shadow is missing; root has no password");
    }
    List<String> lines = new ArrayList<>(Files.readAllLines(shadow));
    int at = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("root:")) {
        at = i;
      }
    }
    if (at < 0) {
      return StepResult.failed(name(), "/etc/shadow has no root entry");
    }
    String[] f = lines.get(at).split(":", -1);
    String note = password != null && password.isEmpty() ? "ROOT_PASSWORD is empty, ignored; " : "";
    String result;
    if (set) {
      Commands.Output hash =
          Commands.run(List.of("openssl", "passwd", "-6", "-stdin"), password + "\n", 30);
      if (!hash.ok() || !hash.text().strip().startsWith("$6$")) {
        return StepResult.failed(
            name(), "cannot hash ROOT_PASSWORD with openssl: " + hash.firstLine());
      }
      f[1] = hash.text().strip();
      result = "set from ROOT_PASSWORD; SSH password login enabled";
    } else if (f[1].isEmpty() || f[1].startsWith("!")) {
      f[1] = "*";
      result = note + "no password (set to '*'; key login only)";
    } else {
      return StepResult.ok(name(), note + "unchanged (no ROOT_PASSWORD; key login only)");
    }
    lines.set(at, String.join(":", f));
    AtomicFiles.replace(
        shadow, String.join("\n", lines) + "\n", PosixFilePermissions.fromString("rw-r-----"));
    return StepResult.ok(name(), result);
  }
}
