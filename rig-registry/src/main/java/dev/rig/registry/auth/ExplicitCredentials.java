package dev.rig.registry.auth;

import java.util.Optional;
import java.util.Set;

/**
 * A user and password given on the command line, for the registries the command pushes to only: a
 * base image's registry or a token service elsewhere never sees them.
 *
 * @param registries the hosts (as written in references, and as the API host) they are for
 */
public record ExplicitCredentials(String username, String password, Set<String> registries)
    implements CredentialSource {
  public ExplicitCredentials {
    registries = Set.copyOf(registries);
  }

  @Override
  public Optional<Credential> find(String registry) {
    if (!registries.contains(registry)) {
      return Optional.empty();
    }
    return Optional.of(new Credential(username, password, describe()));
  }

  @Override
  public String describe() {
    return "--creds (for " + String.join(", ", registries.stream().sorted().toList()) + ")";
  }

  @Override
  public String toString() {
    return "ExplicitCredentials[" + username + "]";
  }
}
