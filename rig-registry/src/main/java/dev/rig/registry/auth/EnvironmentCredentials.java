package dev.rig.registry.auth;

import java.util.Map;
import java.util.Optional;

/**
 * RIG_REGISTRY_USER and RIG_REGISTRY_PASSWORD, for CI: used for every registry when both are set.
 */
public record EnvironmentCredentials(Map<String, String> env) implements CredentialSource {
  public static final String USER = "RIG_REGISTRY_USER";
  public static final String PASSWORD = "RIG_REGISTRY_PASSWORD";

  public EnvironmentCredentials {
    env = Map.copyOf(env);
  }

  @Override
  public Optional<Credential> find(String registry) {
    String user = env.get(USER);
    String password = env.get(PASSWORD);
    if (user == null || user.isEmpty() || password == null) {
      return Optional.empty();
    }
    return Optional.of(new Credential(user, password, describe()));
  }

  @Override
  public String describe() {
    return "environment " + USER + "/" + PASSWORD;
  }

  /** Never prints the environment, which holds the password. */
  @Override
  public String toString() {
    return "EnvironmentCredentials";
  }
}
