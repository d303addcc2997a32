package dev.rig.oci.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An image manifest: the config and the layers, lowest first.
 *
 * @param mediaType {@link MediaTypes#OCI_MANIFEST} for manifests rig writes; a Docker v2 schema 2
 *     manifest read from a layout keeps its own
 * @param annotations sorted by key; usually empty
 */
public record ImageManifest(
    String mediaType, Descriptor config, List<Descriptor> layers, Map<String, String> annotations) {

  public ImageManifest {
    if (!MediaTypes.isManifest(mediaType)) {
      throw new IllegalArgumentException("not an image manifest media type: " + mediaType);
    }
    layers = List.copyOf(layers);
    annotations = java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
  }

  public static ImageManifest oci(Descriptor config, List<Descriptor> layers) {
    return new ImageManifest(MediaTypes.OCI_MANIFEST, config, layers, Map.of());
  }

  /** Deterministic bytes: schemaVersion, mediaType, config, layers, annotations. */
  public byte[] toJson() {
    ObjectNode root = Json.object();
    root.put("schemaVersion", 2);
    root.put("mediaType", mediaType);
    root.set("config", Json.descriptor(config));
    ArrayNode array = root.putArray("layers");
    layers.forEach(layer -> array.add(Json.descriptor(layer)));
    if (!annotations.isEmpty()) {
      root.set("annotations", Json.stringMapNode(annotations));
    }
    return Json.bytes(root);
  }

  /**
   * Reads an OCI or Docker v2 schema 2 manifest.
   *
   * @throws IllegalArgumentException when it is not one
   */
  public static ImageManifest parse(byte[] json) {
    ObjectNode root = Json.parseObject(json, "manifest");
    if (root.path("schemaVersion").asInt() != 2) {
      throw new IllegalArgumentException("manifest schemaVersion is not 2");
    }
    String mediaType = Json.text(root, "mediaType");
    if (mediaType.isEmpty()) {
      // OCI allows the field to be absent; such a document is an OCI manifest.
      mediaType = MediaTypes.OCI_MANIFEST;
    }
    Descriptor config = Json.parseDescriptor(root.get("config"), "manifest config");
    List<Descriptor> layers = new ArrayList<>();
    JsonNode array = root.get("layers");
    if (array == null || !array.isArray()) {
      throw new IllegalArgumentException("manifest has no \"layers\" array");
    }
    for (JsonNode layer : array) {
      layers.add(Json.parseDescriptor(layer, "manifest layer " + layers.size()));
    }
    return new ImageManifest(mediaType, config, layers, Json.stringMap(root, "annotations"));
  }
}
