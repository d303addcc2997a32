package dev.rig.build.sbom;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-1 and SHA-256 of a host file copied into an image, as the SBOM lists it. An
 * implementation may remember them by the file's stat fields (the build memo's stat cache does), so
 * that a rebuild whose layers all come from the cache does not read gigabytes of copied files
 * (model weights, say) again only to list them.
 */
@FunctionalInterface
public interface FileHashes {
  /** A file's hashes in lower-case hex, and its size. */
  record Hashes(String sha1, String sha256, long size) {}

  /** The hashes of {@code file}, symlinks followed. */
  Hashes of(Path file) throws IOException;

  /** Reads the file each time. */
  FileHashes READING =
      file -> {
        try (InputStream in = Files.newInputStream(file)) {
          return read(in);
        }
      };

  /** Reads {@code in} to its end, hashing it once for both digests. */
  static Hashes read(InputStream in) throws IOException {
    MessageDigest sha1 = digest("SHA-1");
    MessageDigest sha256 = digest("SHA-256");
    long size = 0;
    byte[] buffer = new byte[1 << 16];
    for (int n; (n = in.read(buffer)) > 0; ) {
      sha1.update(buffer, 0, n);
      sha256.update(buffer, 0, n);
      size += n;
    }
    HexFormat hex = HexFormat.of();
    return new Hashes(hex.formatHex(sha1.digest()), hex.formatHex(sha256.digest()), size);
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has " + algorithm, e);
    }
  }
}
