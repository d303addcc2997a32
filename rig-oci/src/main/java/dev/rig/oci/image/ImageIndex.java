package dev.rig.oci.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** An image index (index.json of a layout, or a multi-platform list): manifests in order. */
public record ImageIndex(List<Descriptor> manifests) {
  /** The annotation that names an image in a layout's index.json. */
  public static final String REF_NAME = "org.opencontainers.image.ref.name";

  public ImageIndex {
    manifests = List.copyOf(manifests);
  }

  /** Deterministic bytes: schemaVersion, mediaType, manifests. */
  public byte[] toJson() {
    ObjectNode root = Json.object();
    root.put("schemaVersion", 2);
    root.put("mediaType", MediaTypes.OCI_INDEX);
    ArrayNode array = root.putArray("manifests");
    manifests.forEach(m -> array.add(Json.descriptor(m)));
    return Json.bytes(root);
  }

  /**
   * Reads an OCI index or Docker manifest list.
   *
   * @throws IllegalArgumentException when it is not one
   */
  public static ImageIndex parse(byte[] json) {
    ObjectNode root = Json.parseObject(json, "index");
    if (root.path("schemaVersion").asInt() != 2) {
      throw new IllegalArgumentException("index schemaVersion is not 2");
    }
    JsonNode array = root.get("manifests");
    if (array == null || !array.isArray()) {
      throw new IllegalArgumentException("index has no \"manifests\" array");
    }
    List<Descriptor> manifests = new ArrayList<>();
    for (JsonNode node : array) {
      manifests.add(Json.parseDescriptor(node, "index entry " + manifests.size()));
    }
    return new ImageIndex(manifests);
  }
}
