package dev.rig.build;

import dev.rig.oci.image.BaseImage;
import dev.rig.oci.layout.OciLayoutReader;
import dev.rig.spec.BaseImageRef;
import dev.rig.spec.ImageSpec;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Loads the base image an image spec names in {@code from}. */
final class BaseImages {
  private BaseImages() {}

  static Optional<BaseImage> load(ImageSpec spec) throws IOException {
    if (spec.from().isEmpty()) {
      return Optional.empty();
    }
    BaseImageRef ref = spec.from().get();
    if (ref instanceof BaseImageRef.OciLayoutRef layoutRef) {
      OciLayoutReader layout = OciLayoutReader.open(layoutRef.dir());
      String tag = layoutRef.tag();
      if (tag.isEmpty()) {
        List<String> refs = layout.refNames();
        if (refs.size() != 1) {
          throw new IllegalArgumentException(
              "image '"
                  + spec.name()
                  + "': from = \"oci:"
                  + layoutRef.dir()
                  + "\" names no image, and the layout holds "
                  + refs.size()
                  + " ("
                  + String.join(", ", refs)
                  + "); add one as oci:DIR:REF");
        }
        tag = refs.get(0);
      }
      return Optional.of(layout.image(tag).toBaseImage());
    }
    throw new IllegalArgumentException("unsupported base image reference: " + ref);
  }
}
