package dev.rig.build.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Read-only looks into an installed root by image path, as a process chrooted there would see it: a
 * symlink among the parents is followed inside the root (an absolute target starts again at the
 * root, ".." stops at it), the last component is never followed, and only regular files are read. A
 * package can ship any link, so nothing here may reach a host file outside the root.
 */
final class InstalledRoot {
  /** Linux gives up after 40 links in one lookup (ELOOP); so does this. */
  private static final int MAX_LINKS = 40;

  private final Path root;

  InstalledRoot(Path root) {
    this.root = root;
  }

  /** The kind of the entry at {@code imagePath} itself (a link stays a link); empty when absent. */
  Optional<BasicFileAttributes> entry(String imagePath) {
    Optional<Path> host = host(imagePath);
    if (host.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          Files.readAttributes(host.get(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + imagePath + " in " + root, e);
    }
  }

  /** The text of the regular file at {@code imagePath}; empty when there is none. */
  Optional<String> readRegularFile(String imagePath) {
    Optional<BasicFileAttributes> attributes = entry(imagePath);
    if (attributes.isEmpty() || !attributes.get().isRegularFile()) {
      return Optional.empty();
    }
    try (InputStream in = Files.newInputStream(host(imagePath).get(), LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + imagePath + " in " + root, e);
    }
  }

  /**
   * The host path of {@code imagePath} with every parent resolved inside the root and the last
   * component as named; empty when a parent is missing, not a directory, or the links loop.
   */
  private Optional<Path> host(String imagePath) {
    Deque<String> pending = new ArrayDeque<>(components(imagePath));
    if (pending.isEmpty()) {
      return Optional.of(root);
    }
    List<String> resolved = new ArrayList<>();
    int links = 0;
    while (!pending.isEmpty()) {
      String name = pending.removeFirst();
      if (name.equals("..")) {
        if (!resolved.isEmpty()) {
          resolved.remove(resolved.size() - 1);
        }
        continue;
      }
      if (pending.isEmpty()) {
        resolved.add(name);
        break;
      }
      Path here = join(resolved).resolve(name);
      BasicFileAttributes attributes;
      try {
        attributes =
            Files.readAttributes(here, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        return Optional.empty();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + imagePath + " in " + root, e);
      }
      if (attributes.isSymbolicLink()) {
        if (++links > MAX_LINKS) {
          return Optional.empty();
        }
        String target;
        try {
          target = Files.readSymbolicLink(here).toString();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read the link " + here, e);
        }
        if (target.startsWith("/")) {
          resolved.clear();
        }
        List<String> targetParts = components(target);
        for (int i = targetParts.size() - 1; i >= 0; i--) {
          pending.addFirst(targetParts.get(i));
        }
      } else if (attributes.isDirectory()) {
        resolved.add(name);
      } else {
        return Optional.empty();
      }
    }
    return Optional.of(join(resolved));
  }

  private Path join(List<String> names) {
    Path path = root;
    for (String name : names) {
      path = path.resolve(name);
    }
    return path;
  }

  /** The names of a path, without empty and "." ones ("a//./b" is a, b). */
  private static List<String> components(String path) {
    List<String> names = new ArrayList<>();
    for (String name : path.split("/")) {
      if (!name.isEmpty() && !name.equals(".")) {
        names.add(name);
      }
    }
    return names;
  }
}
