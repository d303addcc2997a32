package dev.rig.build.sign;

import dev.rig.registry.sign.SigstoreKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;

/**
 * A signing key opened with its passphrase, held in memory for one command: opened before the
 * build, so that a wrong passphrase stops a push before anything is sent rather than leave it
 * unsigned. Its {@link #toString} names the source only.
 */
public final class OpenedKey {
  private final String source;
  private final PrivateKey key;

  private OpenedKey(String source, PrivateKey key) {
    this.source = source;
    this.key = key;
  }

  public static OpenedKey open(SigningKey signingKey) throws IOException {
    String text;
    if (signingKey.file().isPresent()) {
      Path file = signingKey.file().get();
      try {
        text = Files.readString(file, StandardCharsets.US_ASCII);
      } catch (NoSuchFileException e) {
        throw new NoSuchFileException(
            file.toString(), null, "no signing key there; make one with `rig key generate`");
      }
    } else {
      String variable = signingKey.environmentVariable().orElseThrow();
      text = System.getenv(variable);
      if (text == null || text.isBlank()) {
        throw new IllegalArgumentException(
            "signing.keyEnv names "
                + variable
                + ", which is not set; put the private key's PEM text in it (or use signing.key"
                + " or --sign FILE)");
      }
    }
    byte[] passphrase = signingKey.passphrase();
    return new OpenedKey(
        signingKey.source(), SigstoreKeys.readPrivate(text, passphrase, signingKey.source()));
  }

  PrivateKey key() {
    return key;
  }

  @Override
  public String toString() {
    return "OpenedKey[" + source + "]";
  }
}
