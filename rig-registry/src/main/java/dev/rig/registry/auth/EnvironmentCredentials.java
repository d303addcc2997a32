package dev.rig.registry.auth;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * RIG_REGISTRY_USER and RIG_REGISTRY_PASSWORD, for CI: used when both are set, for the registries
 * the command pushes to only (like --creds), never for a base image's registry.
 */
public record EnvironmentCredentials(Map<String, String> env, Set<String> registries)
    implements CredentialSource {
  public static final String USER = "RIG_REGISTRY_USER";
  public static final String PASSWORD = "RIG_REGISTRY_PASSWORD";

  public EnvironmentCredentials {
    env = Map.copyOf(env);
    registries = Set.copyOf(registries);
  }

  @Override
  public Optional<Credential> find(String registry) {
    String user = env.get(USER);
    String password = env.get(PASSWORD);
    if (user == null || user.isEmpty() || password == null || !registries.contains(registry)) {
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
