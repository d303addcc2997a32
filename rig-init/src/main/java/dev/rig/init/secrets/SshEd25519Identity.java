package dev.rig.init.secrets;

import com.exceptionfactory.jagged.FileKey;
import com.exceptionfactory.jagged.RecipientStanza;
import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.UnsupportedRecipientStanzaException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Unwraps age "ssh-ed25519" stanzas with an SSH ed25519 private key (agenix's host-key identity).
 * The ed25519 key is used as X25519 key (the clamped SHA-512 of the seed), with the tweak age adds
 * so the shared secret depends on the full SSH public key.
 */
public final class SshEd25519Identity implements RecipientStanzaReader {
  private static final byte[] LABEL =
      "age-encryption.org/v1/ssh-ed25519".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] BASE_POINT = basePoint();

  private final byte[] publicBlob;
  private final String tag;
  private final byte[] scalar;
  private final byte[] ourPublic;

  public SshEd25519Identity(OpenSshPrivateKey key) throws GeneralSecurityException {
    if (!key.type().equals("ssh-ed25519")) {
      throw new IllegalArgumentException("not an ed25519 key: " + key.type());
    }
    this.publicBlob = key.publicBlob();
    this.tag = SshStanzas.tag(publicBlob);
    this.scalar = Arrays.copyOf(MessageDigest.getInstance("SHA-512").digest(key.ed25519Seed()), 32);
    // The Montgomery form of the ed25519 public key is scalar × base point, so no field math here.
    this.ourPublic = x25519(scalar, BASE_POINT);
  }

  @Override
  public FileKey getFileKey(Iterable<RecipientStanza> stanzas) throws GeneralSecurityException {
    for (RecipientStanza s : stanzas) {
      if (!s.getType().equals("ssh-ed25519")
          || s.getArguments().size() != 2
          || !s.getArguments().get(0).equals(tag)) {
        continue;
      }
      byte[] share;
      try {
        share = Base64.getDecoder().decode(s.getArguments().get(1));
      } catch (IllegalArgumentException e) {
        throw new GeneralSecurityException("ssh-ed25519 stanza with a share that is not base64", e);
      }
      if (share.length != 32) {
        throw new GeneralSecurityException("ssh-ed25519 stanza with a bad ephemeral share");
      }
      byte[] shared = x25519(scalar, share);
      byte[] tweak = SshStanzas.hkdf32(new byte[0], publicBlob, LABEL);
      shared = x25519(tweak, shared);
      byte[] salt = new byte[64];
      System.arraycopy(share, 0, salt, 0, 32);
      System.arraycopy(ourPublic, 0, salt, 32, 32);
      byte[] wrap = SshStanzas.hkdf32(shared, salt, LABEL);
      Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
      c.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(wrap, "ChaCha20"),
          new IvParameterSpec(new byte[12]));
      return new FileKey(c.doFinal(s.getBody()));
    }
    throw new UnsupportedRecipientStanzaException("no ssh-ed25519 stanza for this key");
  }

  /** RFC 7748 X25519 with little-endian scalar and u-coordinate, via the JDK's XDH. */
  static byte[] x25519(byte[] k, byte[] u) throws GeneralSecurityException {
    KeyFactory kf = KeyFactory.getInstance("XDH");
    PrivateKey priv = kf.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, k));
    byte[] be = new byte[32];
    for (int i = 0; i < 32; i++) {
      be[i] = u[31 - i];
    }
    be[0] &= 0x7f; // RFC 7748: the top bit of u is ignored
    var pub =
        kf.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, be)));
    KeyAgreement ka = KeyAgreement.getInstance("XDH");
    ka.init(priv);
    ka.doPhase(pub, true);
    return ka.generateSecret(); // throws on the all-zero result, as age requires
  }

  private static byte[] basePoint() {
    byte[] b = new byte[32];
    b[0] = 9;
    return b;
  }
}
