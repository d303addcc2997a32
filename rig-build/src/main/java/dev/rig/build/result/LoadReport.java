package dev.rig.build.result;

import java.util.List;

/**
 * Images loaded into a container engine: the names they have there, and what the load did.
 *
 * @param images each image, by the name it has in the engine
 * @param layers the layers of the images the engine did not hold yet
 * @param layersSent those of them rig had to send (the engine's store had the rest)
 * @param engineOutput what the engine printed
 */
public record LoadReport(
    String engine, List<Loaded> images, int layers, int layersSent, String engineOutput) {
  public LoadReport {
    images = List.copyOf(images);
  }

  /**
   * One image in the engine.
   *
   * @param id its image ID there, {@code sha256:...} (the config's digest)
   * @param unchanged true when the engine held it under this name already, and nothing was done
   */
  public record Loaded(String name, String id, boolean unchanged) {}

  public List<String> loadedNames() {
    return images.stream().map(Loaded::name).toList();
  }
}
