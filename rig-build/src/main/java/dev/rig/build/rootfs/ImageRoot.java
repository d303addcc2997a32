package dev.rig.build.rootfs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * An image's root directory on the host, read and changed the way a process chrooted into it would
 * see it. Maintainer scripts may leave any symlink there (etc/shadow → /etc/shadow, var/log →
 * /var/log): an absolute target is taken inside the root, a relative one from its directory, and
 * {@code ..} stops at the root, so no path given here reaches a host file outside it.
 *
 * <p>Every method takes an image path ({@code /etc/shadow} or {@code etc/shadow}, the same). The
 * root must not change while a call runs: use it after the sandbox has exited.
 */
public final class ImageRoot {
  /** As Linux's path walk: more than 40 links in one lookup is a loop. */
  private static final int MAX_LINKS = 40;

  private final Path dir;

  private ImageRoot(Path dir) {
    this.dir = dir;
  }

  public static ImageRoot of(Path dir) {
    return new ImageRoot(dir.toAbsolutePath().normalize());
  }

  /** The root directory on the host. */
  public Path dir() {
    return dir;
  }

  /**
   * The host path {@code imagePath} names, every link on the way (the last included) resolved
   * inside the root; no component of the result is a symlink. The path need not exist.
   */
  public Path resolve(String imagePath) throws IOException {
    return walk(imagePath, true);
  }

  /**
   * The host path of {@code imagePath} itself: its parents resolved inside the root, the last
   * component left as it is (a link stays the link).
   */
  public Path resolveLink(String imagePath) throws IOException {
    return walk(imagePath, false);
  }

  public boolean exists(String imagePath) throws IOException {
    return Files.exists(resolve(imagePath), LinkOption.NOFOLLOW_LINKS);
  }

  public boolean isRegularFile(String imagePath) throws IOException {
    return Files.isRegularFile(resolve(imagePath), LinkOption.NOFOLLOW_LINKS);
  }

  public boolean isDirectory(String imagePath) throws IOException {
    return Files.isDirectory(resolve(imagePath), LinkOption.NOFOLLOW_LINKS);
  }

  /** Opens a regular file for reading. */
  public InputStream open(String imagePath) throws IOException {
    return Files.newInputStream(resolve(imagePath), LinkOption.NOFOLLOW_LINKS);
  }

  public byte[] readAllBytes(String imagePath) throws IOException {
    try (InputStream in = open(imagePath)) {
      return in.readAllBytes();
    }
  }

  public String readString(String imagePath) throws IOException {
    return new String(readAllBytes(imagePath), StandardCharsets.UTF_8);
  }

  /** The image paths of a directory's entries, sorted; empty when it is not a directory. */
  public List<String> list(String imageDir) throws IOException {
    Path host = resolve(imageDir);
    if (!Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    String prefix = imagePathOf(host);
    List<String> entries = new ArrayList<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(host)) {
      for (Path child : children) {
        entries.add((prefix.equals("/") ? "" : prefix) + "/" + child.getFileName());
      }
    }
    entries.sort(Comparator.naturalOrder());
    return entries;
  }

  /** Creates a directory and its missing parents, inside the root; returns its host path. */
  public Path createDirectories(String imageDir) throws IOException {
    return Files.createDirectories(resolve(imageDir));
  }

  /**
   * Replaces a regular file's content, keeping its mode and owner; the new content is written to a
   * temporary file beside it that is renamed over it, so a reader sees the old or the new file.
   */
  public void replace(String imagePath, byte[] content) throws IOException {
    Path target = resolve(imagePath);
    Map<String, Object> attrs =
        Files.readAttributes(target, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
    if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(imagePath + " in image root " + dir + " is not a regular file");
    }
    writeAtomically(
        target,
        content,
        (Integer) attrs.get("mode") & 07777,
        (Integer) attrs.get("uid"),
        (Integer) attrs.get("gid"));
  }

  /** Writes a file owned by root with {@code mode}, through a temporary file and a rename. */
  public void write(String imagePath, byte[] content, int mode) throws IOException {
    Path target = resolve(imagePath);
    Files.createDirectories(target.getParent());
    writeAtomically(target, content, mode, 0, 0);
  }

  /**
   * Deletes what {@code imagePath} names (a link, never its target; a directory with all it holds,
   * never following links inside it). Returns whether there was anything.
   */
  public boolean delete(String imagePath) throws IOException {
    Path target = resolveLink(imagePath);
    if (target.equals(dir)) {
      throw new IOException("refusing to delete the image root " + dir);
    }
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    deleteTree(target);
    return true;
  }

  /**
   * Deletes a host path and, for a directory, everything under it; links are removed, not followed.
   */
  public static void deleteTree(Path hostPath) throws IOException {
    if (!Files.exists(hostPath, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<Path> all;
    try (Stream<Path> walk = Files.walk(hostPath)) {
      all = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path path : all) {
      try {
        Files.delete(path);
      } catch (NoSuchFileException e) {
        // Gone already: what was asked for.
      }
    }
  }

  private void writeAtomically(Path target, byte[] content, int mode, int uid, int gid)
      throws IOException {
    // Created 0600, and the final owner and mode set before the rename: the content is never
    // readable by more than the finished file allows.
    Path temp = Files.createTempFile(target.getParent(), ".rig-", ".tmp");
    try {
      Files.write(temp, content);
      Files.setAttribute(temp, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(temp, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(temp, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private String imagePathOf(Path host) {
    String relative = dir.relativize(host).toString();
    return "/" + relative;
  }

  private Path walk(String imagePath, boolean followLast) throws IOException {
    Deque<String> todo = new ArrayDeque<>(components(imagePath));
    Deque<String> done = new ArrayDeque<>();
    int links = 0;
    while (!todo.isEmpty()) {
      String part = todo.removeFirst();
      if (part.equals("..")) {
        // Every component in done is a real directory (links were replaced), so dropping the
        // last is what the kernel would do; at the root, .. is the root.
        done.pollLast();
        continue;
      }
      Path host = hostOf(done).resolve(part);
      boolean last = todo.isEmpty();
      if ((followLast || !last) && Files.isSymbolicLink(host)) {
        if (++links > MAX_LINKS) {
          throw new IOException(
              "too many levels of symbolic links resolving "
                  + imagePath
                  + " in image root "
                  + dir
                  + " (a link loop)");
        }
        String target = Files.readSymbolicLink(host).toString();
        if (target.startsWith("/")) {
          done.clear();
        }
        List<String> parts = components(target);
        for (int i = parts.size() - 1; i >= 0; i--) {
          todo.addFirst(parts.get(i));
        }
        continue;
      }
      done.addLast(part);
    }
    return hostOf(done);
  }

  private Path hostOf(Deque<String> parts) {
    Path host = dir;
    for (String part : parts) {
      host = host.resolve(part);
    }
    return host;
  }

  private static List<String> components(String path) {
    return Arrays.stream(path.split("/")).filter(p -> !p.isEmpty() && !p.equals(".")).toList();
  }
}
