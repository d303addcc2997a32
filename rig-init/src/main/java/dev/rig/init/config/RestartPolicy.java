package dev.rig.init.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/** When a service that exited on its own is started again. */
public enum RestartPolicy {
  NEVER("never"),
  ON_FAILURE("on-failure"),
  ALWAYS("always");

  private final String text;

  RestartPolicy(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  public static RestartPolicy of(String text) {
    for (RestartPolicy p : values()) {
      if (p.text.equals(text)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown restart policy '"
            + text
            + "', expected one of "
            + Arrays.stream(values()).map(RestartPolicy::text).collect(Collectors.joining(", ")));
  }

  /** Whether an exit with this code (128+n for signal n) calls for a restart. */
  public boolean restartsAfter(int exitCode) {
    return switch (this) {
      case NEVER -> false;
      case ON_FAILURE -> exitCode != 0;
      case ALWAYS -> true;
    };
  }
}
