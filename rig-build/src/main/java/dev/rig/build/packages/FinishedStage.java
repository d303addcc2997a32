package dev.rig.build.packages;

import dev.rig.oci.layer.LayerInput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * An install stage committed to the cache, and the sources whose packages it was the last to
 * install. A package layer holds only its own files as shipped, so these sources' layers are what
 * the image's layers will hold for them, unless a later stage's script rewrites one of their files
 * (then that layer's input differs at the end and it is built again).
 *
 * @param root the stage's configured root, never written again
 * @param sources the sources expected to get a layer of their own, largest first
 */
public record FinishedStage(Path root, List<String> sources) {
  public FinishedStage {
    sources = List.copyOf(sources);
  }

  /** The layers of {@link #sources}, as {@link PackageLayers#split} makes them, largest first. */
  public List<LayerInput> layers() throws IOException {
    return PackageLayers.ownLayers(InstalledSystem.read(root), Set.copyOf(sources));
  }
}
