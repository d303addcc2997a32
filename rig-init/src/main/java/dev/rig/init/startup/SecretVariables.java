package dev.rig.init.startup;

import dev.rig.init.supervise.ChildEnvironment;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Decides which environment variables are secrets and so never written to /etc/environment, the
 * profile or sshd's SetEnv. The rule (docs/runtime.md, "Environment exported to sessions"):
 *
 * <ul>
 *   <li>the variables rig-init consumes (ROOT_PASSWORD, RIG_AGE_IDENTITY, TS_AUTHKEY);
 *   <li>a name containing PASSWORD, PASSWD, SECRET, TOKEN, CREDENTIAL, AUTH, IDENTITY, PRIVATE or
 *       KEY, or ending in _PWD or _PASS: so *_PASSWORD, *_TOKEN, *_SECRET and every *_KEY;
 *   <li>except a public key: a name ending in PUBLIC_KEY or PUBLIC_KEYS (PUBLIC_KEY,
 *       SSH_PUBLIC_KEY, SSH_PUBLIC_KEYS) with no other such word before it and a value with no
 *       private key in it;
 *   <li>a value that carries a credential whatever the name: a URL or DSN with user information
 *       (scheme://user:pass@host, scheme://token@host), a PEM private key or an age secret key.
 * </ul>
 *
 * <p>Matching words inside names rather than whole words errs towards leaving a variable out (a
 * KEYBOARD_LAYOUT stays out too): a session missing a variable is a small surprise, a secret
 * readable by every session is not.
 */
final class SecretVariables {
  private static final List<String> WORDS =
      List.of(
          "PASSWORD",
          "PASSWD",
          "SECRET",
          "TOKEN",
          "CREDENTIAL",
          "AUTH",
          "IDENTITY",
          "PRIVATE",
          "KEY");
  private static final List<String> SUFFIXES = List.of("_PWD", "_PASS");
  private static final List<String> PUBLIC_KEY_SUFFIXES = List.of("PUBLIC_KEYS", "PUBLIC_KEY");

  /** scheme://userinfo@ — a user, a token, or user:password before the host. */
  private static final Pattern URL_WITH_USER =
      Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^/?#\\s@]+@");

  private static final Pattern PRIVATE_KEY =
      Pattern.compile("-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----|AGE-SECRET-KEY-1");

  private SecretVariables() {}

  static boolean isSecret(String name, String value) {
    String n = name.toUpperCase(Locale.ROOT);
    if (ChildEnvironment.CONSUMED_SECRETS.contains(n)) {
      return true;
    }
    String v = value == null ? "" : value;
    if (URL_WITH_USER.matcher(v).find() || PRIVATE_KEY.matcher(v).find()) {
      return true;
    }
    for (String suffix : PUBLIC_KEY_SUFFIXES) {
      if (n.endsWith(suffix)) {
        return secretName(n.substring(0, n.length() - suffix.length()));
      }
    }
    return secretName(n);
  }

  private static boolean secretName(String upper) {
    return WORDS.stream().anyMatch(upper::contains) || SUFFIXES.stream().anyMatch(upper::endsWith);
  }
}
