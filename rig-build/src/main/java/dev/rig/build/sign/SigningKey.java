package dev.rig.build.sign;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where the private key to sign with is, and the passphrase that opens it. The key's bytes are read
 * only when signing, never stored by rig; {@link #toString} leaves the passphrase out so that no
 * log or error can show it.
 *
 * @param file a cosign-format private key file
 * @param passphrase its passphrase (from the environment or a prompt)
 */
public record SigningKey(Path file, byte[] passphrase) {
  public SigningKey {
    passphrase = passphrase.clone();
  }

  @Override
  public byte[] passphrase() {
    return passphrase.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SigningKey key
        && key.file.equals(file)
        && Arrays.equals(key.passphrase, passphrase);
  }

  @Override
  public int hashCode() {
    return file.hashCode();
  }

  @Override
  public String toString() {
    return "SigningKey[" + file + "]";
  }
}
