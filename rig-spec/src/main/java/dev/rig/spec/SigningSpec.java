package dev.rig.spec;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a project's signing key comes from: a file, or an environment variable holding its text;
 * neither when the project does not sign.
 *
 * @param key the private key file, absolute
 * @param keyEnv the variable that holds the key's PEM text
 * @param passphraseEnv the variable that holds its passphrase
 */
public record SigningSpec(Optional<Path> key, Optional<String> keyEnv, String passphraseEnv) {
  public static final SigningSpec NONE =
      new SigningSpec(Optional.empty(), Optional.empty(), "RIG_SIGNING_PASSPHRASE");

  /** Whether pushes of this project sign. */
  public boolean enabled() {
    return key.isPresent() || keyEnv.isPresent();
  }
}
