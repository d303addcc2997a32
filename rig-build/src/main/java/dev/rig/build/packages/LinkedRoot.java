package dev.rig.build.packages;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A writable root made from a cached stage's root for the next stage to install into, in a fraction
 * of a second and a few megabytes: directories and symlinks are made anew, regular files are hard
 * links to the cached ones, except under the paths maintainer scripts edit in place (/etc, /var,
 * /root), which are copied. dpkg itself never writes into an existing file (it writes a new one and
 * renames it over), so the cached root is safe as long as no script edits a linked file in place;
 * {@link #changedShared} checks that afterwards, and {@link #relinkUnchanged} turns the copies the
 * install left alone back into links, so a stage's root costs only what its packages changed.
 */
final class LinkedRoot {
  /** Top directories that are copied rather than linked: what scripts edit in place. */
  static final Set<String> COPIED = Set.of("etc", "var", "root");

  private static final String STATE = "unix:ino,size,lastModifiedTime,mode,uid,gid";

  private final Path lower;
  private final Path work;
  private final Map<String, Map<String, Object>> linked;
  private final List<String> copied;

  private LinkedRoot(
      Path lower, Path work, Map<String, Map<String, Object>> linked, List<String> copied) {
    this.lower = lower;
    this.work = work;
    this.linked = linked;
    this.copied = copied;
  }

  /**
   * Fills the empty directory {@code work} from {@code lower}.
   *
   * @param alsoCopied relative paths copied rather than linked besides {@link #COPIED}: files an
   *     earlier build found edited in place
   */
  static LinkedRoot of(Path lower, Path work, Set<String> alsoCopied) throws IOException {
    Map<String, Map<String, Object>> linked = new LinkedHashMap<>();
    List<String> copied = new ArrayList<>();
    Map<Object, Path> copiesByInode = new HashMap<>();
    Map<Path, Map<String, Object>> directories = new LinkedHashMap<>();
    Files.walkFileTree(
        lower,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes basic)
              throws IOException {
            Path target = work.resolve(lower.relativize(dir).toString());
            Files.createDirectories(target);
            directories.put(target, Files.readAttributes(dir, "unix:mode,uid,gid", NOFOLLOW));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes basic)
              throws IOException {
            String relative = lower.relativize(file).toString();
            Path target = work.resolve(relative);
            Map<String, Object> attrs =
                new HashMap<>(Files.readAttributes(file, STATE + ",nlink", NOFOLLOW));
            if (basic.isSymbolicLink()) {
              Files.createSymbolicLink(target, Files.readSymbolicLink(file));
              owner(target, attrs);
            } else if (!basic.isRegularFile()) {
              throw new PackageException(
                  "a cached package root holds "
                      + file
                      + ", which is neither a file, a directory nor a symlink; delete the cache's"
                      + " stages directory and build again");
            } else if (copies(relative, alsoCopied)) {
              Path first =
                  ((Integer) attrs.get("nlink")) > 1
                      ? copiesByInode.putIfAbsent(attrs.get("ino"), target)
                      : null;
              if (first != null) {
                Files.createLink(target, first);
              } else {
                Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES, NOFOLLOW);
                owner(target, attrs);
                Files.setAttribute(target, "unix:mode", attrs.get("mode"), NOFOLLOW);
                Files.setLastModifiedTime(target, basic.lastModifiedTime());
              }
              copied.add(relative);
            } else {
              Files.createLink(target, file);
              attrs.remove("nlink");
              linked.put(relative, attrs);
            }
            return FileVisitResult.CONTINUE;
          }
        });
    // Modes last: a directory without write permission for its owner still takes its entries.
    for (Map.Entry<Path, Map<String, Object>> dir : directories.entrySet()) {
      owner(dir.getKey(), dir.getValue());
      Files.setAttribute(dir.getKey(), "unix:mode", dir.getValue().get("mode"), NOFOLLOW);
    }
    return new LinkedRoot(lower, work, linked, copied);
  }

  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private static boolean copies(String relative, Set<String> alsoCopied) {
    int slash = relative.indexOf('/');
    String top = slash < 0 ? relative : relative.substring(0, slash);
    return COPIED.contains(top) || alsoCopied.contains(relative);
  }

  private static void owner(Path path, Map<String, Object> attrs) throws IOException {
    Files.setAttribute(path, "unix:uid", attrs.get("uid"), NOFOLLOW);
    Files.setAttribute(path, "unix:gid", attrs.get("gid"), NOFOLLOW);
  }

  /**
   * Linked files whose shared inode changed (content, size, mode or owner) since they were linked:
   * a script edited them in place, and with them the cached root below. Empty when the cache is
   * intact.
   */
  List<String> changedShared() throws IOException {
    List<String> changed = new ArrayList<>();
    for (Map.Entry<String, Map<String, Object>> entry : linked.entrySet()) {
      Path file = lower.resolve(entry.getKey());
      Map<String, Object> now =
          Files.exists(file, NOFOLLOW) ? Files.readAttributes(file, STATE, NOFOLLOW) : Map.of();
      if (!now.equals(entry.getValue())) {
        changed.add(entry.getKey());
      }
    }
    return changed;
  }

  /**
   * Turns each copy the install left as it was (same bytes, mode, owner and time) back into a link
   * to the cached file, so stages share it on disk and in the layer cache.
   */
  void relinkUnchanged() throws IOException {
    for (String relative : copied) {
      Path file = work.resolve(relative);
      Path cached = lower.resolve(relative);
      if (!Files.isRegularFile(file, NOFOLLOW) || !Files.isRegularFile(cached, NOFOLLOW)) {
        continue;
      }
      Map<String, Object> ours = new HashMap<>(Files.readAttributes(file, STATE, NOFOLLOW));
      Map<String, Object> theirs = new HashMap<>(Files.readAttributes(cached, STATE, NOFOLLOW));
      ours.remove("ino");
      theirs.remove("ino");
      if (!ours.equals(theirs) || !sameBytes(file, cached)) {
        continue;
      }
      Path temp = file.resolveSibling(file.getFileName() + ".rig-link");
      Files.deleteIfExists(temp);
      Files.createLink(temp, cached);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private static boolean sameBytes(Path a, Path b) throws IOException {
    try (InputStream x = Files.newInputStream(a, NOFOLLOW);
        InputStream y = Files.newInputStream(b, NOFOLLOW)) {
      byte[] bx = new byte[65536];
      byte[] by = new byte[65536];
      while (true) {
        int nx = x.readNBytes(bx, 0, bx.length);
        int ny = y.readNBytes(by, 0, by.length);
        if (nx != ny || !Arrays.equals(bx, 0, nx, by, 0, ny)) {
          return false;
        }
        if (nx < bx.length) {
          return true;
        }
      }
    }
  }
}
