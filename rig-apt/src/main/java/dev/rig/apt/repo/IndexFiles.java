package dev.rig.apt.repo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.XZInputStream;

/** Checks downloaded index files against the signed Release list, then decompresses them. */
public final class IndexFiles {
  private IndexFiles() {}

  /**
   * Returns {@code bytes} when their size and SHA-256 match the Release entry for {@code path};
   * otherwise refuses, since an unlisted or altered index must never reach the parser.
   */
  public static byte[] verified(
      ReleaseFile release, String releaseName, String path, byte[] bytes) {
    ReleaseFile.FileEntry entry =
        release
            .entry(path)
            .orElseThrow(
                () ->
                    new SignatureException(
                        path + " is not listed in " + releaseName + "'s SHA256"));
    if (entry.size() != bytes.length) {
      throw new SignatureException(
          path
              + ": size "
              + bytes.length
              + " does not match "
              + entry.size()
              + " signed in "
              + releaseName);
    }
    String actual = sha256(bytes);
    if (!actual.equals(entry.sha256())) {
      throw new SignatureException(
          path
              + ": SHA256 "
              + actual
              + " does not match "
              + entry.sha256()
              + " signed in "
              + releaseName);
    }
    return bytes;
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  /** Decompresses by file-name suffix: {@code .xz}, {@code .gz}, or none. */
  public static byte[] decompress(String path, byte[] bytes) throws IOException {
    if (path.endsWith(".xz")) {
      try (InputStream in = new XZInputStream(new ByteArrayInputStream(bytes))) {
        return in.readAllBytes();
      }
    }
    if (path.endsWith(".gz")) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
        return in.readAllBytes();
      }
    }
    return bytes;
  }
}
