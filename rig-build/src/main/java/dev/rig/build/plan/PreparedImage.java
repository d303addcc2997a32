package dev.rig.build.plan;

import dev.rig.oci.layer.LayerInput;
import dev.rig.spec.ImageSpec;
import java.util.List;
import java.util.Optional;

/**
 * What planning takes: the spec and every input that needed I/O (the base's layer count, the
 * installed packages' layers, the venv's layers, the runtime and home layers, the copied files), so
 * that {@link Planner} itself reads nothing.
 */
public record PreparedImage(
    ImageSpec spec,
    int baseLayers,
    List<LayerInput> packageLayers,
    List<LayerInput> pythonLayers,
    Optional<LayerInput> runtime,
    Optional<LayerInput> home,
    List<PreparedCopy> copies) {
  public PreparedImage {
    packageLayers = List.copyOf(packageLayers);
    pythonLayers = List.copyOf(pythonLayers);
    copies = List.copyOf(copies);
  }

  /** An image without a Python venv. */
  public PreparedImage(
      ImageSpec spec,
      int baseLayers,
      List<LayerInput> packageLayers,
      Optional<LayerInput> runtime,
      Optional<LayerInput> home,
      List<PreparedCopy> copies) {
    this(spec, baseLayers, packageLayers, List.of(), runtime, home, copies);
  }
}
