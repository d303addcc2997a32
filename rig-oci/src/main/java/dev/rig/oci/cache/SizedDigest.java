package dev.rig.oci.cache;

import dev.rig.oci.digest.Digest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A digest with a size: the value stored in the cache's small mapping files, as one line {@code
 * sha256:<hex> <size>}.
 */
public record SizedDigest(Digest digest, long size) {
  public SizedDigest {
    if (size < 0) {
      throw new IllegalArgumentException("negative size " + size);
    }
  }

  public byte[] encode() {
    return (digest + " " + size + "\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** Parses a mapping file; anything malformed (a torn or foreign file) reads as absent. */
  public static Optional<SizedDigest> decode(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.US_ASCII);
    if (!text.endsWith("\n")) {
      return Optional.empty();
    }
    String[] parts = text.substring(0, text.length() - 1).split(" ");
    if (parts.length != 2) {
      return Optional.empty();
    }
    try {
      return Optional.of(new SizedDigest(Digest.parse(parts[0]), Long.parseLong(parts[1])));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
