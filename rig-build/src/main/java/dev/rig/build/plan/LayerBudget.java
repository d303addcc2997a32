package dev.rig.build.plan;

import dev.rig.build.python.PythonStage;
import dev.rig.spec.ImageSpec;

/**
 * The one place that shares an image's {@code maxLayers} among its parts. Packages are split into
 * as many layers as they may have after every other part has its due: a Python venv {@link
 * PythonStage#LAYERS}, the runtime one, home one, and up to ten copies one each (a project with
 * many copies still leaves room for packages); then the copies get what packages left, each its own
 * layer while they last (changing one copy leaves the others' layers and blobs untouched), the rest
 * sharing the last.
 *
 * @param max the spec's maxLayers
 * @param base layers the base image already has
 */
public record LayerBudget(
    int max, int base, int copies, boolean runtime, boolean home, boolean python) {
  /** How many copies are promised a layer of their own before packages are split. */
  static final int COPIES_RESERVED = 10;

  public static LayerBudget of(ImageSpec spec, int baseLayers) {
    return new LayerBudget(
        spec.maxLayers(),
        baseLayers,
        spec.copyToRoot().size(),
        spec.parts().runtime(),
        spec.parts().home(),
        spec.python().enable());
  }

  /**
   * The layers the packages may be split into.
   *
   * @throws IllegalArgumentException when the other parts leave none
   */
  public int forPackages(String image) {
    int left =
        max
            - base
            - Math.min(copies, COPIES_RESERVED)
            - (home ? 1 : 0)
            - (runtime ? 1 : 0)
            - (python ? PythonStage.LAYERS : 0);
    if (left < 1) {
      throw new IllegalArgumentException(
          "image '"
              + image
              + "': maxLayers "
              + max
              + " leaves no layer for packages (raise maxLayers)");
    }
    return left;
  }

  /**
   * The layers the copies may have once {@code packageLayers} package and venv layers, the runtime,
   * home and (for an image from nothing) rig's base filesystem layer are counted.
   */
  int forCopies(int packageLayers, boolean scratch) {
    return max - base - packageLayers - (runtime ? 1 : 0) - (scratch ? 1 : 0) - (home ? 1 : 0);
  }
}
