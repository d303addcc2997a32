package dev.rig.registry.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A user name and password (or token) for one registry.
 *
 * @param source where it came from, for messages (never the secret itself)
 */
public record Credential(String username, String password, String source) {
  public Credential {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(source, "source");
  }

  /** The value of an {@code Authorization: Basic} header. */
  public String basicHeader() {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Never shows the password, so a credential can be logged or put in an exception safely. */
  @Override
  public String toString() {
    return "Credential[" + username + " from " + source + "]";
  }
}
