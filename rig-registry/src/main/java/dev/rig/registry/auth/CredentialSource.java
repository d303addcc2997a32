package dev.rig.registry.auth;

import java.io.IOException;
import java.util.Optional;

/** One place credentials may be kept. */
public interface CredentialSource {
  /** The credential for {@code registry} ({@code host[:port]}), if this source has one. */
  Optional<Credential> find(String registry) throws IOException;

  /** Where this source looks, for the message shown when authentication fails. */
  String describe();
}
