package dev.rig.oci.digest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest as OCI writes it: {@code sha256:<64 lowercase hex>}. Only sha256 is supported;
 * it is what every registry and runtime accepts.
 *
 * @param algorithm always "sha256"
 * @param hex 64 lowercase hex digits
 */
public record Digest(String algorithm, String hex) {
  public static final String SHA256 = "sha256";
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  public Digest {
    if (!SHA256.equals(algorithm)) {
      throw new IllegalArgumentException(
          "unsupported digest algorithm '" + algorithm + "' (only sha256)");
    }
    if (hex == null || !HEX64.matcher(hex).matches()) {
      throw new IllegalArgumentException(
          "a sha256 digest needs 64 lowercase hex digits, got '" + hex + "'");
    }
  }

  /** Parses {@code sha256:<hex>}. */
  public static Digest parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("digest is missing");
    }
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("not a digest (expected sha256:<hex>): '" + text + "'");
    }
    return new Digest(text.substring(0, colon), text.substring(colon + 1));
  }

  /** The digest of a sha256 hash value (32 bytes). */
  public static Digest ofHash(byte[] sha256) {
    if (sha256.length != 32) {
      throw new IllegalArgumentException("a sha256 hash has 32 bytes, got " + sha256.length);
    }
    return new Digest(SHA256, HexFormat.of().formatHex(sha256));
  }

  /** The digest of {@code bytes}. */
  public static Digest of(byte[] bytes) {
    return ofHash(newSha256().digest(bytes));
  }

  /** A fresh SHA-256 hasher (always present in every JDK). */
  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** {@code sha256:<hex>}, the form used in JSON documents and on registries. */
  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}
