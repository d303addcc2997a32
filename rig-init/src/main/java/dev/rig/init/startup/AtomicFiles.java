package dev.rig.init.startup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replaces a file by writing a sibling and renaming it over, so a crash never leaves a half-written
 * /etc/shadow. Mode, owner and group of an existing file are kept; a new file gets {@code mode}.
 *
 * <p>The sibling is created 0600 and only given its final mode once written: created with the
 * default umask it would be world-readable for a moment, long enough for another process to open a
 * copy of /etc/shadow.
 */
final class AtomicFiles {
  private static final Set<PosixFilePermission> PRIVATE =
      PosixFilePermissions.fromString("rw-------");

  private AtomicFiles() {}

  static void replace(Path file, String content, Set<PosixFilePermission> mode) throws IOException {
    replace(file, content, mode, false);
  }

  /** Like {@link #replace} but the file gets {@code mode} even when it exists with another. */
  static void replaceWithMode(Path file, String content, Set<PosixFilePermission> mode)
      throws IOException {
    replace(file, content, mode, true);
  }

  private static void replace(
      Path file, String content, Set<PosixFilePermission> mode, boolean forceMode)
      throws IOException {
    Path tmp = writePrivate(file, content);
    try {
      PosixFileAttributeView view =
          Files.getFileAttributeView(tmp, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      if (Files.exists(file)) {
        PosixFileAttributes old = Files.readAttributes(file, PosixFileAttributes.class);
        try {
          view.setOwner(old.owner());
          view.setGroup(old.group());
        } catch (IOException e) {
          // not root (tests): the file stays ours, which is all we could do anyway
        }
        view.setPermissions(forceMode ? mode : old.permissions());
      } else {
        view.setPermissions(mode);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Writes {@code content} to the sibling temp file of {@code file}, created 0600, and returns it.
   */
  static Path writePrivate(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling("." + file.getFileName() + ".rig-tmp");
    Files.deleteIfExists(tmp);
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(PRIVATE))) {
      ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        ch.write(bytes);
      }
    }
    return tmp;
  }
}
