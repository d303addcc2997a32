package dev.rig.build.sign;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Where the private key to sign with is (a file, or an environment variable holding its PEM text),
 * and the passphrase that opens it. The key's bytes are read only when signing, never stored by
 * rig; {@link #toString} leaves the passphrase out so that no log or error can show it.
 *
 * @param file a cosign-format private key file
 * @param environmentVariable the variable holding the key's text, instead of a file
 * @param passphrase its passphrase (from the environment, a file or a prompt)
 */
public record SigningKey(
    Optional<Path> file, Optional<String> environmentVariable, byte[] passphrase) {
  public SigningKey {
    if (file.isPresent() == environmentVariable.isPresent()) {
      throw new IllegalArgumentException("a signing key comes from a file or a variable, not both");
    }
    passphrase = passphrase.clone();
  }

  public static SigningKey ofFile(Path file, byte[] passphrase) {
    return new SigningKey(Optional.of(file), Optional.empty(), passphrase);
  }

  public static SigningKey ofEnvironment(String variable, byte[] passphrase) {
    return new SigningKey(Optional.empty(), Optional.of(variable), passphrase);
  }

  /** The file, or "$VARIABLE", for messages. */
  public String source() {
    return file.map(Path::toString).orElseGet(() -> "$" + environmentVariable.orElseThrow());
  }

  @Override
  public byte[] passphrase() {
    return passphrase.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SigningKey key
        && key.file.equals(file)
        && key.environmentVariable.equals(environmentVariable)
        && Arrays.equals(key.passphrase, passphrase);
  }

  @Override
  public int hashCode() {
    return source().hashCode();
  }

  @Override
  public String toString() {
    return "SigningKey[" + source() + "]";
  }
}
