package dev.rig.oci.layout;

import dev.rig.oci.image.Descriptor;
import dev.rig.oci.image.ImageIndex;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Pure rules for a layout's index.json and oci-layout file. */
final class LayoutIndex {
  static final byte[] OCI_LAYOUT =
      "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);

  private LayoutIndex() {}

  /** The index entry for an image: its manifest descriptor named by the ref annotation. */
  static Descriptor entry(TaggedImage image) {
    return image
        .image()
        .manifestDescriptor()
        .withAnnotations(Map.of(ImageIndex.REF_NAME, image.refName()));
  }

  /**
   * Merges new images into an existing index: an entry with the same ref name is replaced in place
   * (so rebuilding one image keeps the order of the others), other entries are kept, new names are
   * appended in the order given.
   */
  static ImageIndex merge(ImageIndex existing, List<TaggedImage> images) {
    List<Descriptor> manifests = new ArrayList<>(existing.manifests());
    for (TaggedImage image : images) {
      Descriptor entry = entry(image);
      int at = indexOf(manifests, image.refName());
      if (at < 0) {
        manifests.add(entry);
      } else {
        manifests.set(at, entry);
        for (int i = manifests.size() - 1; i > at; i--) {
          if (image.refName().equals(refName(manifests.get(i)))) {
            manifests.remove(i);
          }
        }
      }
    }
    return new ImageIndex(manifests);
  }

  static String refName(Descriptor descriptor) {
    return descriptor.annotations().get(ImageIndex.REF_NAME);
  }

  private static int indexOf(List<Descriptor> manifests, String refName) {
    for (int i = 0; i < manifests.size(); i++) {
      if (Objects.equals(refName, refName(manifests.get(i)))) {
        return i;
      }
    }
    return -1;
  }
}
