package dev.rig.build.packages;

import dev.rig.build.rootfs.ImageRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Removes what a dpkg run leaves that differs from run to run or must never ship: logs, backup
 * copies, caches keyed by inode, SSH host keys (made per container at start), and pins the
 * password-change dates in /etc/shadow to SOURCE_DATE_EPOCH.
 */
final class Normalizer {
  private static final List<String> FILES =
      List.of(
          "var/log/dpkg.log",
          "var/log/alternatives.log",
          "var/log/bootstrap.log",
          "var/cache/ldconfig/aux-cache",
          "var/cache/apt/pkgcache.bin",
          "var/cache/apt/srcpkgcache.bin",
          "etc/machine-id",
          "var/lib/dbus/machine-id",
          "etc/passwd-",
          "etc/group-",
          "etc/shadow-",
          "etc/gshadow-",
          "etc/subuid-",
          "etc/subgid-");

  /** Directories {@link #clean} empties; what a base had there is its own, not a removal. */
  private static final List<String> EMPTIED =
      List.of("var/log/apt/", "var/lib/apt/lists/", "tmp/", "run/");

  private Normalizer() {}

  /**
   * Whether {@link #clean} removes what is at {@code relative} (a path in the root, no leading
   * slash) whoever made it: on a base image, such a file of the base's is not a removal by a
   * maintainer script, and gets no whiteout.
   */
  static boolean removes(String relative) {
    String name = relative.substring(relative.lastIndexOf('/') + 1);
    return FILES.contains(relative)
        || EMPTIED.stream().anyMatch(relative::startsWith)
        || (relative.startsWith("etc/ssh/") && name.startsWith("ssh_host_"))
        || ((relative.startsWith("var/cache/debconf/") || relative.startsWith("var/lib/dpkg/"))
            && name.endsWith("-old"))
        || relative.contains("/__pycache__");
  }

  static void clean(Path root, Instant created) throws IOException {
    // Scripts ran in this root: any path in it may be a link planted to reach the host.
    ImageRoot image = ImageRoot.of(root);
    for (String file : FILES) {
      image.delete(file);
    }
    deleteMatching(image, "etc/ssh", "ssh_host_", null);
    deleteMatching(image, "var/cache/debconf", null, "-old");
    deleteMatching(image, "var/lib/dpkg", null, "-old");
    emptyDirectory(image, "var/log/apt");
    emptyDirectory(image, "var/lib/apt/lists");
    emptyDirectory(image, "tmp");
    emptyDirectory(image, "run");
    removeBytecode(image);
    JavaKeystores.makeDeterministic(image);
    long days = created.getEpochSecond() / 86400;
    pinPasswordDates(image, "etc/shadow", days);
  }

  private static void deleteMatching(ImageRoot image, String dir, String prefix, String suffix)
      throws IOException {
    for (String entry : image.list(dir)) {
      String name = entry.substring(entry.lastIndexOf('/') + 1);
      if ((prefix == null || name.startsWith(prefix))
          && (suffix == null || name.endsWith(suffix))) {
        image.delete(entry);
      }
    }
  }

  private static void emptyDirectory(ImageRoot image, String dir) throws IOException {
    for (String entry : image.list(dir)) {
      // apt's lists/partial and lock are its own bookkeeping; an empty partial dir is kept.
      if (!entry.endsWith("/partial")) {
        image.delete(entry);
      }
    }
  }

  /**
   * Byte code compiled by maintainer scripts (py3compile) records compile-time details; Python
   * makes it again on first import, so it is left out rather than risk two builds differing.
   */
  private static void removeBytecode(ImageRoot image) throws IOException {
    List<Path> caches = new ArrayList<>();
    for (String top : List.of("usr/lib", "usr/share", "usr/local/lib")) {
      // Resolved inside the root; the walk below follows no link.
      Path dir = image.resolve(top);
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.filter(p -> p.getFileName().toString().equals("__pycache__"))
            .filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
            .forEach(caches::add);
      }
    }
    for (Path cache : caches) {
      ImageRoot.deleteTree(cache);
    }
  }

  private static void pinPasswordDates(ImageRoot image, String shadow, long days)
      throws IOException {
    if (!image.isRegularFile(shadow)) {
      return;
    }
    StringBuilder out = new StringBuilder();
    for (String line : image.readString(shadow).lines().toList()) {
      String[] fields = line.split(":", -1);
      if (fields.length > 2 && !fields[2].isEmpty()) {
        fields[2] = Long.toString(days);
      }
      out.append(String.join(":", fields)).append('\n');
    }
    image.replace(shadow, out.toString().getBytes(StandardCharsets.UTF_8));
  }
}
