package dev.rig.spec;

import java.nio.file.Path;

/** Where an image's base comes from. Sealed so that adding a kind shows every place to handle. */
public sealed interface BaseImageRef {

  /**
   * An image in a local OCI image layout, written {@code oci:DIR:REF} in a spec (as skopeo does).
   *
   * @param dir the layout directory, absolute; it held an {@code index.json} when the spec was
   *     loaded
   * @param tag the ref name of the image in the layout ({@code org.opencontainers.image.ref.name});
   *     empty when the spec gave none, meaning the layout's only image
   */
  record OciLayoutRef(Path dir, String tag) implements BaseImageRef {}

  /**
   * An image in a registry, written {@code [HOST[:PORT]/]PATH[:TAG][@sha256:DIGEST]} in a spec; the
   * schema guarantees a tag, a digest or both.
   *
   * @param reference the reference as written
   */
  record RegistryRef(String reference) implements BaseImageRef {}
}
