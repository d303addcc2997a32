package dev.rig.init.secrets;

import com.exceptionfactory.jagged.DecryptingChannelFactory;
import com.exceptionfactory.jagged.framework.armor.ArmoredDecryptingChannelFactory;
import com.exceptionfactory.jagged.framework.stream.StandardDecryptingChannelFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decrypts one age file (binary or ASCII-armored) with the first identity that opens it. Each
 * identity is tried on its own so the error can say what each one answered.
 */
public final class AgeDecryptor {
  private static final byte[] ARMOR =
      "-----BEGIN AGE ENCRYPTED FILE-----".getBytes(StandardCharsets.US_ASCII);

  private AgeDecryptor() {}

  /** What one attempt gave: the plaintext and the identity that opened it. */
  public record Opened(byte[] plaintext, AgeIdentity identity) {}

  /**
   * @throws GeneralSecurityException naming every identity tried and why it failed
   */
  public static Opened decrypt(byte[] ciphertext, List<AgeIdentity> identities)
      throws GeneralSecurityException, IOException {
    List<String> tried = new ArrayList<>();
    for (AgeIdentity id : identities) {
      try {
        return new Opened(open(ciphertext, id), id);
      } catch (GeneralSecurityException | IOException e) {
        tried.add(id.describe() + ": " + reason(e));
      }
    }
    throw new GeneralSecurityException(
        identities.isEmpty() ? "no identities to try" : "tried " + String.join("; ", tried));
  }

  private static byte[] open(byte[] ciphertext, AgeIdentity id)
      throws GeneralSecurityException, IOException {
    DecryptingChannelFactory factory =
        startsWith(ciphertext, ARMOR)
            ? new ArmoredDecryptingChannelFactory()
            : new StandardDecryptingChannelFactory();
    ReadableByteChannel in = Channels.newChannel(new ByteArrayInputStream(ciphertext));
    try (InputStream out =
        Channels.newInputStream(factory.newDecryptingChannel(in, List.of(id.reader())))) {
      return out.readAllBytes();
    } catch (RuntimeException e) {
      // jagged reports some damaged headers and armor as unchecked exceptions.
      throw new IOException("not a valid age file: " + e, e);
    }
  }

  private static String reason(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return e.getCause() != null && e.getCause().getMessage() != null
        ? m + " (" + e.getCause().getMessage() + ")"
        : m;
  }

  private static boolean startsWith(byte[] b, byte[] prefix) {
    if (b.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
