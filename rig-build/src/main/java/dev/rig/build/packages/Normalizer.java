package dev.rig.build.packages;

import java.io.IOException;
import java.nio.file.DirectoryStream;
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

  private Normalizer() {}

  static void clean(Path root, Instant created) throws IOException {
    for (String file : FILES) {
      Files.deleteIfExists(root.resolve(file));
    }
    deleteMatching(root.resolve("etc/ssh"), "ssh_host_");
    deleteMatching(root.resolve("var/cache/debconf"), null, "-old");
    deleteMatching(root.resolve("var/lib/dpkg"), null, "-old");
    emptyDirectory(root.resolve("var/log/apt"));
    emptyDirectory(root.resolve("var/lib/apt/lists"));
    emptyDirectory(root.resolve("tmp"));
    emptyDirectory(root.resolve("run"));
    removeBytecode(root);
    JavaKeystores.makeDeterministic(root);
    long days = created.getEpochSecond() / 86400;
    pinPasswordDates(root.resolve("etc/shadow"), days);
  }

  private static void deleteMatching(Path dir, String prefix) throws IOException {
    deleteMatching(dir, prefix, null);
  }

  private static void deleteMatching(Path dir, String prefix, String suffix) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if ((prefix == null || name.startsWith(prefix))
            && (suffix == null || name.endsWith(suffix))) {
          PackageInstaller.deleteTree(entry);
        }
      }
    }
  }

  private static void emptyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        // apt's lists/partial and lock are its own bookkeeping; an empty partial dir is kept.
        if (!entry.getFileName().toString().equals("partial")) {
          PackageInstaller.deleteTree(entry);
        }
      }
    }
  }

  /**
   * Byte code compiled by maintainer scripts (py3compile) records compile-time details; Python
   * makes it again on first import, so it is left out rather than risk two builds differing.
   */
  private static void removeBytecode(Path root) throws IOException {
    List<Path> caches = new ArrayList<>();
    for (String top : List.of("usr/lib", "usr/share", "usr/local/lib")) {
      Path dir = root.resolve(top);
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
      PackageInstaller.deleteTree(cache);
    }
  }

  private static void pinPasswordDates(Path shadow, long days) throws IOException {
    if (!Files.isRegularFile(shadow)) {
      return;
    }
    StringBuilder out = new StringBuilder();
    for (String line : Files.readAllLines(shadow)) {
      String[] fields = line.split(":", -1);
      if (fields.length > 2 && !fields[2].isEmpty()) {
        fields[2] = Long.toString(days);
      }
      out.append(String.join(":", fields)).append('\n');
    }
    Files.writeString(shadow, out.toString());
  }
}
