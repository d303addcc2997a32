package dev.rig.oci.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files so that readers see either the old file or the complete new one: bytes go to a temp
 * file in the target's directory (same file system), which is then renamed over the target. An
 * interrupted write leaves at most a stray temp file, never a truncated target.
 */
public final class AtomicFiles {
  /** Prefix of temp files; anything starting with it is debris of an interrupted write. */
  public static final String TEMP_PREFIX = ".tmp-";

  private static final FileAttribute<Set<PosixFilePermission>> READABLE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"));

  private AtomicFiles() {}

  /** Writer of one content: write into {@link #temp()}, then {@link #commit}. */
  @FunctionalInterface
  public interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
  }

  public static void write(Path target, Body body) throws IOException {
    Path temp = newTemp(target);
    try {
      try (OutputStream out = Files.newOutputStream(temp)) {
        body.writeTo(out);
      }
      commit(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** A new empty temp file next to {@code target}. */
  public static Path newTemp(Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    // createTempFile would make the file 0600; outputs are meant to be readable like any file.
    try {
      return Files.createTempFile(dir, TempNames.prefix(), ".part", READABLE);
    } catch (UnsupportedOperationException e) {
      return Files.createTempFile(dir, TempNames.prefix(), ".part");
    }
  }

  /**
   * Renames {@code temp} over {@code target} atomically. Where two processes race to write the same
   * content-addressed name, the last rename wins and both wrote the same bytes.
   */
  public static void commit(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Renames the directory {@code temp} to the content-addressed {@code target}, unless another
   * process made {@code target} first (then {@code temp} is left for the caller to delete; the two
   * are the same content). Linux answers a rename onto a non-empty directory with ENOTEMPTY, which
   * Java reports as a plain FileSystemException, not DirectoryNotEmptyException.
   *
   * @return whether this call's directory became {@code target}
   */
  public static boolean commitDirectory(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename " + temp + " atomically to " + target, e);
    } catch (java.nio.file.FileSystemException e) {
      if (Files.isDirectory(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        return false;
      }
      throw e;
    }
  }
}
