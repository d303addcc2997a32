package dev.rig.build.base;

import dev.rig.registry.model.ImageReference;
import java.io.IOException;

/**
 * Where a base image reference with only a tag gets its digest: from rig.lock when it holds one for
 * the same reference, else from the registry (and then recorded), so that a tag moving in the
 * registry does not change a locked build.
 */
@FunctionalInterface
public interface BasePins {
  /** Resolves a tag to the digest it names now. */
  @FunctionalInterface
  interface Resolve {
    ImageReference resolve() throws IOException;
  }

  /**
   * @param tagged the reference as the spec writes it (a tag, no digest)
   * @return the same reference with a digest
   */
  ImageReference pin(String image, ImageReference tagged, Resolve resolve) throws IOException;

  /** No lock: every build asks the registry. */
  BasePins NONE = (image, tagged, resolve) -> resolve.resolve();
}
