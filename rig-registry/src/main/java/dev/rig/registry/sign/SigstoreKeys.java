package dev.rig.registry.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * Key pairs in the files cosign and {@code skopeo generate-sigstore-key} write: the public key as
 * PKIX PEM, the private key as PKCS#8 sealed with a passphrase (scrypt N=32768 r=8 p=1, then NaCl
 * secretbox) in a small JSON document inside an "ENCRYPTED SIGSTORE PRIVATE KEY" PEM block. Only
 * ECDSA P-256 keys: the curve a sigstoreSigned policy verifies with.
 */
public final class SigstoreKeys {
  static final String PRIVATE_LABEL = "ENCRYPTED SIGSTORE PRIVATE KEY";
  // What cosign wrote before it was renamed; the contents are the same.
  private static final List<String> PRIVATE_LABELS =
      List.of(PRIVATE_LABEL, "ENCRYPTED COSIGN PRIVATE KEY");
  private static final String PUBLIC_LABEL = "PUBLIC KEY";
  private static final int SCRYPT_N = 32768;
  private static final int SCRYPT_R = 8;
  private static final int SCRYPT_P = 1;
  private static final int P256_BITS = 256;
  private static final ObjectMapper JSON = new ObjectMapper();

  private SigstoreKeys() {}

  /** A fresh ECDSA P-256 key pair. */
  public static KeyPair generate(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this Java runtime cannot make P-256 keys", e);
    }
  }

  /** The private key sealed with {@code passphrase}, as the PEM text of a cosign key file. */
  public static String encryptedPem(PrivateKey key, byte[] passphrase, SecureRandom random) {
    byte[] salt = new byte[32];
    byte[] nonce = new byte[SecretBox.NONCE_BYTES];
    random.nextBytes(salt);
    random.nextBytes(nonce);
    byte[] secret = derive(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P);
    byte[] plain = key.getEncoded();
    byte[] sealed;
    try {
      sealed = SecretBox.seal(plain, nonce, secret);
    } finally {
      Arrays.fill(secret, (byte) 0);
      Arrays.fill(plain, (byte) 0);
    }
    ObjectNode doc = JSON.createObjectNode();
    ObjectNode kdf = doc.putObject("kdf");
    kdf.put("name", "scrypt");
    ObjectNode params = kdf.putObject("params");
    params.put("N", SCRYPT_N);
    params.put("r", SCRYPT_R);
    params.put("p", SCRYPT_P);
    kdf.put("salt", Base64.getEncoder().encodeToString(salt));
    ObjectNode cipher = doc.putObject("cipher");
    cipher.put("name", "nacl/secretbox");
    cipher.put("nonce", Base64.getEncoder().encodeToString(nonce));
    doc.put("ciphertext", Base64.getEncoder().encodeToString(sealed));
    return Pem.encode(PRIVATE_LABEL, doc.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The public key as PKIX PEM ("PUBLIC KEY"), the form a policy.json's keyPath names. */
  public static String publicPem(PublicKey key) {
    return Pem.encode(PUBLIC_LABEL, key.getEncoded());
  }

  /**
   * Opens a cosign private key file's text with {@code passphrase}.
   *
   * @param where the file, for messages
   */
  public static PrivateKey readPrivate(String pem, byte[] passphrase, String where)
      throws KeyFileException {
    byte[] body = Pem.decode(pem, PRIVATE_LABELS, where);
    JsonNode doc;
    try {
      doc = JSON.readTree(body);
    } catch (IOException e) {
      throw new KeyFileException(where + ": the key block is not the JSON cosign writes", e);
    }
    String kdfName = doc.path("kdf").path("name").asText();
    String cipherName = doc.path("cipher").path("name").asText();
    if (!kdfName.equals("scrypt") || !cipherName.equals("nacl/secretbox")) {
      throw new KeyFileException(
          where
              + ": sealed with "
              + kdfName
              + "/"
              + cipherName
              + ", but rig reads only scrypt/nacl-secretbox keys (make one with `rig key"
              + " generate`)");
    }
    JsonNode params = doc.path("kdf").path("params");
    int n = params.path("N").asInt();
    int r = params.path("r").asInt();
    int p = params.path("p").asInt();
    // Bounds keep a hostile file from asking for gigabytes of scrypt memory.
    if (n < 2 || n > (1 << 20) || Integer.bitCount(n) != 1 || r < 1 || r > 32 || p < 1 || p > 16) {
      throw new KeyFileException(
          where + ": unsupported scrypt parameters N=" + n + " r=" + r + " p=" + p);
    }
    byte[] salt = base64(doc.path("kdf").path("salt"), "kdf.salt", where);
    byte[] nonce = base64(doc.path("cipher").path("nonce"), "cipher.nonce", where);
    byte[] sealed = base64(doc.path("ciphertext"), "ciphertext", where);
    if (nonce.length != SecretBox.NONCE_BYTES) {
      throw new KeyFileException(where + ": cipher.nonce must be 24 bytes");
    }
    byte[] secret = derive(passphrase, salt, n, r, p);
    byte[] plain;
    try {
      plain =
          SecretBox.open(sealed, nonce, secret)
              .orElseThrow(
                  () ->
                      new KeyFileException(
                          where
                              + ": wrong passphrase (or the file was altered); set the one the key"
                              + " was made with in RIG_SIGNING_PASSPHRASE"));
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
    try {
      PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(plain));
      requireP256(key, where);
      return key;
    } catch (GeneralSecurityException e) {
      throw new KeyFileException(where + ": not a PKCS#8 ECDSA private key: " + e.getMessage(), e);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /** Reads a PKIX PEM public key (a cosign.pub, or one skopeo or openssl wrote). */
  public static PublicKey readPublic(String pem, String where) throws KeyFileException {
    byte[] der = Pem.decode(pem, List.of(PUBLIC_LABEL), where);
    try {
      PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
      requireP256(key, where);
      return key;
    } catch (GeneralSecurityException e) {
      throw new KeyFileException(
          where + ": not an ECDSA public key (" + e.getMessage() + "); give the .pub file", e);
    }
  }

  private static void requireP256(java.security.Key key, String where) throws KeyFileException {
    if (!(key instanceof ECKey ec)
        || ec.getParams().getCurve().getField().getFieldSize() != P256_BITS) {
      throw new KeyFileException(where + ": only ECDSA P-256 keys are supported");
    }
  }

  private static byte[] derive(byte[] passphrase, byte[] salt, int n, int r, int p) {
    return SCrypt.generate(passphrase, salt, n, r, p, SecretBox.KEY_BYTES);
  }

  private static byte[] base64(JsonNode node, String field, String where) throws KeyFileException {
    if (!node.isTextual()) {
      throw new KeyFileException(where + ": the key has no " + field);
    }
    try {
      return Base64.getDecoder().decode(node.asText());
    } catch (IllegalArgumentException e) {
      throw new KeyFileException(where + ": " + field + " is not base64", e);
    }
  }
}
