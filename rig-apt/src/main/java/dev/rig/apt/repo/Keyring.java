package dev.rig.apt.repo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;

/** The public keys trusted for one repository (apt's {@code signed-by}). */
public final class Keyring {
  private final String source;
  private final PGPPublicKeyRingCollection keys;

  private Keyring(String source, PGPPublicKeyRingCollection keys) {
    this.source = source;
    this.keys = keys;
  }

  /** Reads a binary ({@code .gpg}) or ASCII-armored ({@code .asc}) keyring file. */
  public static Keyring read(Path file) throws IOException {
    return parse(file.toString(), Files.readAllBytes(file));
  }

  /**
   * Parses keyring bytes in either form; {@link PGPUtil#getDecoderStream} tells them apart by the
   * first byte, so callers need not know which one a vendor ships.
   */
  public static Keyring parse(String source, byte[] bytes) {
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(bytes))) {
      PGPPublicKeyRingCollection keys =
          new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator());
      if (keys.size() == 0) {
        throw new SignatureException(source + ": keyring holds no public keys");
      }
      return new Keyring(source, keys);
    } catch (IOException | PGPException e) {
      throw new SignatureException(source + ": not an OpenPGP keyring: " + e.getMessage(), e);
    }
  }

  public String source() {
    return source;
  }

  /** The key (primary or subkey) with this id, if trusted. */
  Optional<PGPPublicKey> key(long keyId) {
    return Optional.ofNullable(keys.getPublicKey(keyId));
  }

  /** The primary key of the key ring that holds the key (primary or subkey) with this id. */
  Optional<PGPPublicKey> primary(long keyId) {
    return Optional.ofNullable(keys.getPublicKeyRing(keyId)).map(PGPPublicKeyRing::getPublicKey);
  }

  /** Upper-case hex ids of all keys and subkeys, for error messages. */
  public List<String> keyIds() {
    List<String> out = new ArrayList<>();
    for (Iterator<PGPPublicKeyRing> rings = keys.getKeyRings(); rings.hasNext(); ) {
      for (Iterator<PGPPublicKey> k = rings.next().getPublicKeys(); k.hasNext(); ) {
        out.add(keyId(k.next().getKeyID()));
      }
    }
    return List.copyOf(out);
  }

  static String keyId(long id) {
    return String.format(Locale.ROOT, "%016X", id);
  }
}
