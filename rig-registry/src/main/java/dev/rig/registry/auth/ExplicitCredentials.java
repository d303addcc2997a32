package dev.rig.registry.auth;

import java.util.Optional;

/** A user and password given on the command line: used for every registry. */
public record ExplicitCredentials(String username, String password) implements CredentialSource {
  @Override
  public Optional<Credential> find(String registry) {
    return Optional.of(new Credential(username, password, describe()));
  }

  @Override
  public String describe() {
    return "--creds";
  }

  @Override
  public String toString() {
    return "ExplicitCredentials[" + username + "]";
  }
}
