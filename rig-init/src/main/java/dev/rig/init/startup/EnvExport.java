package dev.rig.init.startup;

import dev.rig.init.report.Plural;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Writes the container's environment to /etc/environment and /etc/profile.d/rig-env.sh so SSH, tmux
 * and Jupyter sessions see CUDA_*, NVIDIA_*, market and user variables (a login session does not
 * inherit PID 1's environment). rig's sshd_config also passes them with SetEnv, which covers {@code
 * ssh host cmd} where no profile is read.
 *
 * <p>Secrets are left out by the rule in {@link SecretVariables}; public-key variables stay (they
 * are not secret). Both files are 0640 root: pam_env and login shells of root read them, and a
 * variable the rule did not recognise is still not readable by every user. Per-session variables
 * (HOME, PWD, TERM, …) are left out because sessions set their own.
 */
public final class EnvExport implements StartupStep {
  static final String ENVIRONMENT = "/etc/environment";
  static final String PROFILE = "/etc/profile.d/rig-env.sh";
  private static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-r-----");
  private static final List<String> PER_SESSION =
      List.of(
          "HOME",
          "PWD",
          "OLDPWD",
          "SHLVL",
          "_",
          "TERM",
          "USER",
          "LOGNAME",
          "SHELL",
          "MAIL",
          "HOSTNAME",
          "SSH_CLIENT",
          "SSH_CONNECTION",
          "SSH_TTY");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  @Override
  public String name() {
    return "environment";
  }

  /** The variables to export, sorted by name. */
  public static Map<String, String> exported(Map<String, String> env) {
    Map<String, String> out = new TreeMap<>();
    env.forEach(
        (k, v) -> {
          if (NAME.matcher(k).matches()
              && !SecretVariables.isSecret(k, v)
              && !PER_SESSION.contains(k)) {
            out.put(k, v);
          }
        });
    return out;
  }

  @Override
  public StepResult run(StepContext ctx) throws Exception {
    Map<String, String> vars = exported(ctx.env());
    int secrets =
        (int)
            ctx.env().entrySet().stream()
                .filter(e -> SecretVariables.isSecret(e.getKey(), e.getValue()))
                .count();
    // /etc/environment is read by pam_env, not a shell: KEY="value", no escapes, one line each.
    Path environment = ctx.path(ENVIRONMENT);
    List<String> lines = new ArrayList<>();
    if (Files.exists(environment)) {
      for (String line : Files.readAllLines(environment)) {
        String key = line.contains("=") ? line.substring(0, line.indexOf('=')).strip() : "";
        if (!vars.containsKey(key)) {
          lines.add(line); // the image's own lines stay unless we set the same name
        }
      }
    }
    int skipped = 0;
    for (Map.Entry<String, String> e : vars.entrySet()) {
      String v = e.getValue();
      if (v.contains("\n") || v.contains("\"") || v.contains("\\")) {
        skipped++;
        continue;
      }
      lines.add(e.getKey() + "=\"" + v + "\"");
    }
    AtomicFiles.replaceWithMode(environment, String.join("\n", lines) + "\n", MODE);
    StringBuilder sh =
        new StringBuilder("# written by rig-init at start: the container's environment\n");
    vars.forEach(
        (k, v) ->
            sh.append("export ").append(k).append('=').append(ShellQuote.quote(v)).append('\n'));
    AtomicFiles.replaceWithMode(ctx.path(PROFILE), sh.toString(), MODE);
    return StepResult.ok(
        name(),
        Plural.of(vars.size(), "variable", "variables")
            + " to "
            + ENVIRONMENT
            + " and "
            + PROFILE
            + "; "
            + Plural.of(secrets, "secret-looking one", "secret-looking ones")
            + " left out"
            + (skipped > 0
                ? "; "
                    + Plural.of(
                        skipped, "multi-line or quoted value", "multi-line or quoted values")
                    + " only in the profile"
                : ""));
  }
}
