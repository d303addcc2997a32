package dev.rig.init.secrets;

import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;

/**
 * An unencrypted private key in OpenSSH's own format ("-----BEGIN OPENSSH PRIVATE KEY-----", what
 * ssh-keygen writes, host keys included), reduced to what age needs: the public key blob (its
 * SHA-256 names the recipient in a stanza) and the secret parts of ssh-ed25519 or ssh-rsa keys.
 *
 * <p>Why our own parser: jagged-ssh, which would do this, is not published on Maven Central, and
 * the format is a short, fixed sequence of length-prefixed fields (PROTOCOL.key in OpenSSH).
 *
 * @param type "ssh-ed25519" or "ssh-rsa"
 * @param publicBlob the public key in SSH wire format
 * @param ed25519Seed the 32-byte seed (ed25519 only)
 * @param rsa modulus, public and private exponent (rsa only)
 */
public record OpenSshPrivateKey(
    String type, byte[] publicBlob, byte[] ed25519Seed, BigInteger[] rsa) {
  private static final String BEGIN = "-----BEGIN OPENSSH PRIVATE KEY-----";
  private static final String END = "-----END OPENSSH PRIVATE KEY-----";
  private static final byte[] MAGIC = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);

  /** Whether {@code text} looks like an OpenSSH private key at all. */
  public static boolean looksLike(String text) {
    return text.contains(BEGIN);
  }

  public static OpenSshPrivateKey parse(String text) throws GeneralSecurityException {
    int b = text.indexOf(BEGIN);
    int e = text.indexOf(END);
    if (b < 0 || e < b) {
      throw new GeneralSecurityException("not an OpenSSH private key");
    }
    try {
      byte[] raw =
          Base64.getMimeDecoder()
              .decode(text.substring(b + BEGIN.length(), e).replaceAll("\\s", ""));
      ByteBuffer in = ByteBuffer.wrap(raw);
      byte[] magic = new byte[MAGIC.length];
      in.get(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new GeneralSecurityException("bad OpenSSH key magic");
      }
      String cipher = string(in);
      if (!cipher.equals("none")) {
        throw new GeneralSecurityException(
            "the key is passphrase-protected (" + cipher + "); age identities must be unencrypted");
      }
      bytes(in); // kdf name
      bytes(in); // kdf options
      if (in.getInt() != 1) {
        throw new GeneralSecurityException("expected exactly one key in the file");
      }
      byte[] publicBlob = bytes(in);
      ByteBuffer priv = ByteBuffer.wrap(bytes(in));
      if (priv.getInt() != priv.getInt()) {
        throw new GeneralSecurityException("check bytes differ (corrupt or encrypted key)");
      }
      String type = string(priv);
      switch (type) {
        case "ssh-ed25519" -> {
          bytes(priv); // public key, also in publicBlob
          byte[] secret = bytes(priv); // seed || public key
          return new OpenSshPrivateKey(type, publicBlob, Arrays.copyOf(secret, 32), null);
        }
        case "ssh-rsa" -> {
          BigInteger n = mpint(priv);
          BigInteger pub = mpint(priv);
          BigInteger d = mpint(priv);
          return new OpenSshPrivateKey(type, publicBlob, null, new BigInteger[] {n, pub, d});
        }
        default ->
            throw new GeneralSecurityException(
                "key type " + type + " cannot be an age identity (only ssh-ed25519 and ssh-rsa)");
      }
    } catch (RuntimeException ex) {
      throw new GeneralSecurityException(
          "truncated or malformed OpenSSH key (" + ex.getMessage() + ")", ex);
    }
  }

  static byte[] bytes(ByteBuffer in) {
    int length = in.getInt();
    if (length < 0 || length > in.remaining()) {
      // Checked before allocating: a damaged length must not ask for gigabytes.
      throw new BufferUnderflowException();
    }
    byte[] b = new byte[length];
    in.get(b);
    return b;
  }

  private static String string(ByteBuffer in) {
    return new String(bytes(in), StandardCharsets.US_ASCII);
  }

  private static BigInteger mpint(ByteBuffer in) {
    return new BigInteger(bytes(in));
  }
}
