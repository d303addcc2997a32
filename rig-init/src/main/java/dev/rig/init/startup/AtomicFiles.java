package dev.rig.init.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Replaces a file by writing a sibling and renaming it over, so a crash never leaves a half-written
 * /etc/shadow. Mode, owner and group of an existing file are kept; a new file gets {@code mode}.
 */
final class AtomicFiles {
  private AtomicFiles() {}

  static void replace(Path file, String content, Set<PosixFilePermission> mode) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling("." + file.getFileName() + ".rig-tmp");
    Files.deleteIfExists(tmp);
    Files.writeString(tmp, content);
    PosixFileAttributeView view =
        Files.getFileAttributeView(tmp, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (Files.exists(file)) {
      PosixFileAttributes old = Files.readAttributes(file, PosixFileAttributes.class);
      view.setPermissions(old.permissions());
      try {
        view.setOwner(old.owner());
        view.setGroup(old.group());
      } catch (IOException e) {
        // not root (tests): the file stays ours, which is all we could do anyway
      }
    } else {
      view.setPermissions(mode);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
