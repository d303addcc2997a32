package dev.rig.oci.layout;

import dev.rig.oci.digest.Digest;
import dev.rig.oci.image.BlobSource;
import dev.rig.oci.image.ImageLayer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A blob an output must contain.
 *
 * @param digest what its bytes must hash to
 * @param size how many bytes it has
 * @param source where to read them
 */
record Blob(Digest digest, long size, BlobSource source) {

  /** The blobs of some images (layers, configs, manifests), each once, in first-use order. */
  static List<Blob> of(List<TaggedImage> images) {
    Map<Digest, Blob> blobs = new LinkedHashMap<>();
    for (TaggedImage tagged : images) {
      var image = tagged.image();
      for (ImageLayer layer : image.layers()) {
        blobs.putIfAbsent(
            layer.blob().digest(),
            new Blob(layer.blob().digest(), layer.blob().size(), layer.source()));
      }
      blobs.putIfAbsent(
          image.configDescriptor().digest(),
          new Blob(
              image.configDescriptor().digest(),
              image.configDescriptor().size(),
              BlobSource.ofBytes(image.configJson())));
      blobs.putIfAbsent(
          image.manifestDescriptor().digest(),
          new Blob(
              image.manifestDescriptor().digest(),
              image.manifestDescriptor().size(),
              BlobSource.ofBytes(image.manifestJson())));
    }
    return List.copyOf(blobs.values());
  }

  /** The path of this blob inside a layout or archive: {@code blobs/sha256/HEX}. */
  String layoutPath() {
    return pathOf(digest);
  }

  /** The path of the blob with this digest inside a layout or archive. */
  static String pathOf(Digest digest) {
    return "blobs/" + digest.algorithm() + "/" + digest.hex();
  }
}
