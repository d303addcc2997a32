package dev.rig.oci.layout;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rig.oci.digest.Digest;
import dev.rig.oci.event.OciEvent;
import dev.rig.oci.event.OciEventListener;
import dev.rig.oci.image.AssembledImage;
import dev.rig.oci.image.BlobSource;
import dev.rig.oci.image.Descriptor;
import dev.rig.oci.image.ImageLayer;
import dev.rig.oci.image.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Writes images as a {@code docker save} archive, for {@code docker load}, {@code podman load} and
 * {@code docker-archive:FILE}.
 *
 * <p>Layout (as docker 25+ writes it): config and layers under {@code blobs/sha256/HEX}, {@code
 * manifest.json} listing each image's Config, RepoTags and Layers, and the legacy {@code
 * repositories} file (informational; loaders read manifest.json). Layers stay compressed: docker
 * and podman detect and decompress gzip and zstd layer files. Images with the same config and
 * layers share one manifest.json entry with several RepoTags.
 */
public final class DockerArchiveWriter {
  /** How layers go into the archive. */
  public enum Layers {
    /** The blobs as built, compressed: the smallest archive (for {@code docker-archive:FILE}). */
    AS_BUILT,
    /**
     * Uncompressed tars, as {@code docker save} writes them, for every layer whose size is known
     * (rig's own; a base image's stay compressed): for a pipe into {@code podman load} or {@code
     * docker load}, which would otherwise decompress every layer on one thread. rig decompresses
     * faster, and the engine only stores.
     */
    UNCOMPRESSED
  }

  private final OciEventListener listener;
  private final Layers layers;

  public DockerArchiveWriter(OciEventListener listener) {
    this(listener, Layers.AS_BUILT);
  }

  public DockerArchiveWriter(OciEventListener listener, Layers layers) {
    this.listener = listener;
    this.layers = layers;
  }

  /**
   * @param images each {@link TaggedImage#refName()} is a repo tag "name:tag" (":latest" is added
   *     when the name has no tag)
   */
  public void write(Path file, List<TaggedImage> images) throws IOException {
    write(file, images, Map.of());
  }

  /**
   * @param sideFiles files the archive carries beside the images (such as {@code
   *     sbom/NAME.spdx.json}), by relative path: {@code docker load} and {@code podman load} read
   *     only what manifest.json names
   */
  public void write(Path file, List<TaggedImage> images, Map<String, byte[]> sideFiles)
      throws IOException {
    long start = System.nanoTime();
    DeterministicArchive archive = archive(images);
    SideFiles.add(archive, sideFiles, List.of("manifest.json", "repositories", "blobs"));
    archive.writeTo(file);
    listener.onEvent(
        new OciEvent.OutputWritten(
            file, images.size(), Duration.ofNanos(System.nanoTime() - start)));
  }

  /** Streams the same archive to {@code out}, e.g. the stdin of {@code podman load}. */
  public void write(OutputStream out, List<TaggedImage> images) throws IOException {
    archive(images).writeTo(out);
  }

  private DeterministicArchive archive(List<TaggedImage> images) {
    DeterministicArchive archive = new DeterministicArchive();
    List<TaggedImage> tagged = new ArrayList<>();
    for (TaggedImage image : images) {
      tagged.add(new TaggedImage(repoTag(image.refName()), image.image()));
    }
    // Only configs and layers go in (a docker archive has no manifests); a layer shared by two
    // images is one entry, as the archive is keyed by path.
    Map<Digest, String> layerPaths = new HashMap<>();
    for (TaggedImage image : tagged) {
      for (ImageLayer layer : image.image().layers()) {
        Optional<DecompressedLayer> plain =
            layers == Layers.UNCOMPRESSED ? DecompressedLayer.of(layer) : Optional.empty();
        if (plain.isPresent()) {
          archive.addDecompressed(plain.get());
          layerPaths.put(layer.blob().digest(), plain.get().path());
        } else {
          Blob blob = new Blob(layer.blob().digest(), layer.blob().size(), layer.source());
          archive.addBlob(blob);
          layerPaths.put(layer.blob().digest(), blob.layoutPath());
        }
      }
      Descriptor config = image.image().configDescriptor();
      archive.addBlob(
          new Blob(config.digest(), config.size(), BlobSource.ofBytes(image.image().configJson())));
    }
    archive.addBytes("manifest.json", manifestJson(tagged, layerPaths));
    archive.addBytes("repositories", repositoriesJson(tagged));
    return archive;
  }

  static String repoTag(String refName) {
    int slash = refName.lastIndexOf('/');
    return refName.indexOf(':', slash + 1) < 0 ? refName + ":latest" : refName;
  }

  private static byte[] manifestJson(List<TaggedImage> images, Map<Digest, String> layerPaths) {
    Map<String, List<String>> tagsByManifest = new LinkedHashMap<>();
    Map<String, AssembledImage> imageByManifest = new LinkedHashMap<>();
    for (TaggedImage image : images) {
      String key = image.image().manifestDescriptor().digest().toString();
      imageByManifest.putIfAbsent(key, image.image());
      List<String> tags = tagsByManifest.computeIfAbsent(key, k -> new ArrayList<>());
      if (!tags.contains(image.refName())) {
        tags.add(image.refName());
      }
    }
    ArrayNode root = JsonNodeFactory.instance.arrayNode();
    for (var entry : imageByManifest.entrySet()) {
      AssembledImage image = entry.getValue();
      ObjectNode node = root.addObject();
      node.put("Config", Blob.pathOf(image.configDescriptor().digest()));
      node.set("RepoTags", Json.array(tagsByManifest.get(entry.getKey())));
      ArrayNode layerList = node.putArray("Layers");
      for (ImageLayer layer : image.layers()) {
        layerList.add(layerPaths.get(layer.blob().digest()));
      }
    }
    return Json.bytes(root);
  }

  /** {"name":{"tag":"TOP-LAYER-HEX"}}, names and tags sorted. */
  private static byte[] repositoriesJson(List<TaggedImage> images) {
    Map<String, Map<String, String>> repositories = new TreeMap<>();
    for (TaggedImage image : images) {
      String tag = image.refName();
      int colon = tag.lastIndexOf(':');
      List<ImageLayer> layers = image.image().layers();
      String top = layers.isEmpty() ? "" : layers.get(layers.size() - 1).diffId().hex();
      repositories
          .computeIfAbsent(tag.substring(0, colon), k -> new TreeMap<>())
          .put(tag.substring(colon + 1), top);
    }
    ObjectNode root = Json.object();
    repositories.forEach((name, tags) -> root.set(name, Json.stringMapNode(tags)));
    return Json.bytes(root);
  }
}
