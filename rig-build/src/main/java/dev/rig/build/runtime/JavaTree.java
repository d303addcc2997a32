package dev.rig.build.runtime;

import dev.rig.oci.layer.Content;
import dev.rig.oci.layer.LayerEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A linked Java runtime's directory as layer entries under an image path: owned by root, files 0755
 * when executable and 0644 otherwise, whatever modes and times the cache's copy has, so the layer
 * is a function of the runtime's bytes alone.
 */
final class JavaTree {
  private JavaTree() {}

  static List<LayerEntry> entries(Path dir, String imagePath) {
    List<LayerEntry> entries = new ArrayList<>();
    entries.add(LayerEntry.directory(imagePath, 0755, 0, 0));
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted().toList()) {
        if (p.equals(dir)) {
          continue;
        }
        String path = imagePath + "/" + dir.relativize(p).toString().replace('\\', '/');
        if (Files.isSymbolicLink(p)) {
          entries.add(LayerEntry.symlink(path, Files.readSymbolicLink(p).toString(), 0, 0));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          entries.add(LayerEntry.directory(path, 0755, 0, 0));
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          int mode = Files.isExecutable(p) ? 0755 : 0644;
          entries.add(LayerEntry.file(path, Content.ofFile(p), mode, 0, 0));
        } else {
          throw new IllegalStateException(p + " in a linked Java runtime is not a file or link");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the linked Java runtime at " + dir, e);
    }
    return entries;
  }
}
