package dev.rig.oci.layout;

import dev.rig.oci.digest.Digest;
import dev.rig.oci.image.AssembledImage;
import dev.rig.oci.image.Descriptor;
import dev.rig.oci.image.ImageLayer;
import dev.rig.oci.image.ImageManifest;
import dev.rig.oci.image.MediaTypes;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An image as a local container engine is best handed it: every layer rig can decompress listed as
 * its plain tar (digest = diffID), so that the engine only stores, and never runs a single-threaded
 * gunzip twice per layer as it does for a compressed one. The config is the image's own, so the
 * engine's image ID (the config's digest) is the one the image has everywhere; the manifest differs
 * from the image's, and so does its digest.
 *
 * <p>A base image's layers whose plain size is unknown stay as they are, compressed.
 */
public final class PlainImage {
  /** The media type of a plain layer, in the manifest's own dialect. */
  private static final String OCI_TAR = "application/vnd.oci.image.layer.v1.tar";

  private static final String DOCKER_TAR = "application/vnd.docker.image.rootfs.diff.tar";

  private final byte[] manifestJson;
  private final Descriptor manifest;
  private final Map<Digest, Content> blobs;

  private PlainImage(byte[] manifestJson, Descriptor manifest, Map<Digest, Content> blobs) {
    this.manifestJson = manifestJson;
    this.manifest = manifest;
    this.blobs = blobs;
  }

  /** One blob of the image: what it is and how to write its bytes. */
  public interface Content {
    /** Its length in bytes. */
    long size();

    /** True for a layer written as a plain tar decompressed on the way. */
    boolean decompressed();

    /** Writes the bytes; see {@link DecompressedLayer#copyTo} for what is checked. */
    void writeTo(OutputStream out) throws IOException;
  }

  public static PlainImage of(AssembledImage image) {
    ImageManifest original = ImageManifest.parse(image.manifestJson());
    String plainType =
        MediaTypes.DOCKER_MANIFEST.equals(original.mediaType()) ? DOCKER_TAR : OCI_TAR;
    Map<Digest, Content> blobs = new LinkedHashMap<>();
    byte[] config = image.configJson();
    blobs.put(image.configDescriptor().digest(), bytes(config));
    List<Descriptor> layers = new ArrayList<>();
    for (ImageLayer layer : image.layers()) {
      Optional<DecompressedLayer> plain = DecompressedLayer.of(layer);
      if (plain.isPresent()) {
        Descriptor descriptor = Descriptor.of(plainType, layer.diffId(), plain.get().size());
        layers.add(descriptor);
        blobs.putIfAbsent(descriptor.digest(), decompressed(plain.get()));
      } else {
        layers.add(layer.blob());
        blobs.putIfAbsent(layer.blob().digest(), asBuilt(layer));
      }
    }
    ImageManifest plainManifest =
        new ImageManifest(original.mediaType(), original.config(), layers, original.annotations());
    byte[] json = plainManifest.toJson();
    return new PlainImage(
        json, Descriptor.of(original.mediaType(), Digest.of(json), json.length), blobs);
  }

  public byte[] manifestJson() {
    return manifestJson.clone();
  }

  public Descriptor manifest() {
    return manifest;
  }

  /** The config or a layer with this digest. */
  public Optional<Content> blob(Digest digest) {
    return Optional.ofNullable(blobs.get(digest));
  }

  private static Content bytes(byte[] bytes) {
    return new Content() {
      @Override
      public long size() {
        return bytes.length;
      }

      @Override
      public boolean decompressed() {
        return false;
      }

      @Override
      public void writeTo(OutputStream out) throws IOException {
        out.write(bytes);
      }
    };
  }

  private static Content decompressed(DecompressedLayer layer) {
    return new Content() {
      @Override
      public long size() {
        return layer.size();
      }

      @Override
      public boolean decompressed() {
        return true;
      }

      @Override
      public void writeTo(OutputStream out) throws IOException {
        layer.copyTo(out);
      }
    };
  }

  /** A layer passed on as it is (the engine verifies its digest). */
  private static Content asBuilt(ImageLayer layer) {
    return new Content() {
      @Override
      public long size() {
        return layer.blob().size();
      }

      @Override
      public boolean decompressed() {
        return false;
      }

      @Override
      public void writeTo(OutputStream out) throws IOException {
        try (var in = layer.source().open()) {
          in.transferTo(out);
        }
      }
    };
  }
}
