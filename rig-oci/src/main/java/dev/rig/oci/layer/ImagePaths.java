package dev.rig.oci.layer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Absolute paths inside an image: normalising, parents, and the order entries take in a tar. */
public final class ImagePaths {
  /**
   * Tar order: by the UTF-8 bytes of the path, unsigned. A parent is a prefix of its children and
   * so always comes first.
   */
  public static final Comparator<String> TAR_ORDER =
      (a, b) ->
          Arrays.compareUnsigned(
              a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

  private ImagePaths() {}

  /**
   * Normalises an absolute image path: collapses repeated slashes and "." segments, drops a
   * trailing slash. Rejects relative paths, ".." segments and NUL characters.
   *
   * @return the normalised path; "/" for the root
   */
  public static String normalize(String path) {
    if (path == null || path.isEmpty()) {
      throw new IllegalArgumentException("image path is empty");
    }
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("image path must be absolute: '" + path + "'");
    }
    if (path.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("image path contains a NUL character: '" + path + "'");
    }
    StringBuilder out = new StringBuilder();
    for (String segment : path.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        throw new IllegalArgumentException("image path must not contain '..': '" + path + "'");
      }
      out.append('/').append(segment);
    }
    return out.isEmpty() ? "/" : out.toString();
  }

  /** The parent directories of a normalised path, outermost first, without "/". */
  public static List<String> parents(String normalized) {
    List<String> parents = new ArrayList<>();
    int slash = normalized.indexOf('/', 1);
    while (slash > 0) {
      parents.add(normalized.substring(0, slash));
      slash = normalized.indexOf('/', slash + 1);
    }
    return parents;
  }

  /** Joins an image directory and a relative host path (with '/' separators). */
  public static String join(String imageDir, String relative) {
    if (relative.isEmpty()) {
      return normalize(imageDir);
    }
    return normalize(imageDir + "/" + relative);
  }
}
