package dev.rig.init.supervise;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment of every process rig-init starts (helpers, the startup script, services, the main
 * program): rig-init's own minus the secrets rig-init itself consumes. ROOT_PASSWORD becomes a
 * shadow hash, RIG_AGE_IDENTITY decrypts files, TS_AUTHKEY goes to a 0400 file; none of them is
 * meant for anything else, and every process could otherwise read them from /proc/PID/environ or
 * pass them on to its own children. Other variables stay: a user's HF_TOKEN is there for a service.
 */
public final class ChildEnvironment {
  /** The variables rig-init consumes as secrets and keeps from every process it starts. */
  public static final List<String> CONSUMED_SECRETS =
      List.of("ROOT_PASSWORD", "RIG_AGE_IDENTITY", "TS_AUTHKEY");

  private ChildEnvironment() {}

  /** Removes the consumed secrets from {@code env} (a ProcessBuilder's environment) in place. */
  public static void removeConsumedSecrets(Map<String, String> env) {
    CONSUMED_SECRETS.forEach(env::remove);
  }

  /** A copy of {@code env} without the consumed secrets. */
  public static Map<String, String> of(Map<String, String> env) {
    Map<String, String> copy = new HashMap<>(env);
    removeConsumedSecrets(copy);
    return copy;
  }
}
