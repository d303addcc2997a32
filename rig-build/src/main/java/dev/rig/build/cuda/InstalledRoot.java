package dev.rig.build.cuda;

import dev.rig.build.rootfs.ImageRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * The read-only looks CUDA's layout takes into an installed root, by image path, through the one
 * {@link ImageRoot} resolver: links among the parents are followed inside the root, the last
 * component is never followed, and only regular files are read.
 */
final class InstalledRoot {
  private final ImageRoot root;

  InstalledRoot(Path root) {
    this.root = ImageRoot.of(root);
  }

  /** The kind of the entry at {@code imagePath} itself (a link stays a link); empty when absent. */
  Optional<BasicFileAttributes> entry(String imagePath) {
    try {
      Path host = root.resolveLink(relative(imagePath));
      return Optional.of(
          Files.readAttributes(host, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      // A parent that is missing, not a directory, or links that loop: nothing is there.
      return Optional.empty();
    }
  }

  /** The text of the regular file at {@code imagePath}; empty when there is none. */
  Optional<String> readRegularFile(String imagePath) {
    Optional<BasicFileAttributes> attributes = entry(imagePath);
    if (attributes.isEmpty() || !attributes.get().isRegularFile()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new String(root.readAllBytes(relative(imagePath)), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + imagePath + " in " + root.dir(), e);
    }
  }

  private static String relative(String imagePath) {
    return imagePath.startsWith("/") ? imagePath.substring(1) : imagePath;
  }
}
