package dev.rig.build.plan;

import dev.rig.oci.layer.LayerInput;
import dev.rig.spec.BaseImageRef;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything needed to assemble one image, decided before any byte is written: the base, the new
 * layers' inputs (bottom first) and the config values.
 */
public record ImagePlan(
    String name,
    String tag,
    Optional<BaseImageRef> base,
    List<LayerInput> layers,
    List<String> env,
    List<String> entrypoint,
    List<String> cmd,
    String workingDir,
    String user,
    List<String> exposedPorts,
    Map<String, String> labels) {

  /** The reference the image is known by in outputs, {@code NAME:TAG}. */
  public String reference() {
    return name + ":" + tag;
  }
}
