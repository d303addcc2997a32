package dev.rig.registry.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rig.oci.digest.Digest;
import dev.rig.oci.image.MediaTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The OCI manifest and config of a signature or attestation image: one layer per attachment, a
 * config that lists them as its layers (as cosign writes it, with no time in it), and the signed
 * image as {@code subject} so that a registry with the referrers API lists it too.
 */
public record AttachmentManifest(byte[] config, byte[] manifest) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  public static AttachmentManifest of(
      List<Attachment> attachments, Digest subject, long subjectSize, String subjectType) {
    ObjectNode config = JSON.createObjectNode();
    config.put("architecture", "");
    config.putObject("config");
    config.put("created", ZERO_TIME);
    config.putArray("history").addObject().put("created", ZERO_TIME);
    config.put("os", "");
    ObjectNode rootfs = config.putObject("rootfs");
    ArrayNode diffIds = rootfs.putArray("diff_ids");
    attachments.forEach(a -> diffIds.add(a.digest().toString()));
    rootfs.put("type", "layers");
    byte[] configBytes = config.toString().getBytes(StandardCharsets.UTF_8);

    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
    ObjectNode configDescriptor = manifest.putObject("config");
    configDescriptor.put("mediaType", MediaTypes.OCI_CONFIG);
    configDescriptor.put("size", configBytes.length);
    configDescriptor.put("digest", Digest.of(configBytes).toString());
    ArrayNode layers = manifest.putArray("layers");
    for (Attachment attachment : attachments) {
      ObjectNode layer = layers.addObject();
      layer.put("mediaType", attachment.mediaType());
      layer.put("size", attachment.blob().length);
      layer.put("digest", attachment.digest().toString());
      ObjectNode annotations = layer.putObject("annotations");
      attachment.annotations().entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(e -> annotations.put(e.getKey(), e.getValue()));
    }
    ObjectNode subjectNode = manifest.putObject("subject");
    subjectNode.put("mediaType", subjectType);
    subjectNode.put("size", subjectSize);
    subjectNode.put("digest", subject.toString());
    return new AttachmentManifest(
        configBytes, manifest.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** A layer of a fetched attachment manifest: where its blob is and what it says about it. */
  public record Layer(
      String mediaType, Digest digest, long size, Map<String, String> annotations) {}

  public static List<Layer> layers(byte[] manifest, String where) throws IOException {
    JsonNode root = JSON.readTree(manifest);
    if (root == null || !root.path("layers").isArray()) {
      throw new IOException(where + " is not an OCI manifest with layers");
    }
    List<Layer> layers = new ArrayList<>();
    for (JsonNode layer : root.path("layers")) {
      Map<String, String> annotations = new TreeMap<>();
      layer
          .path("annotations")
          .fields()
          .forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
      try {
        layers.add(
            new Layer(
                layer.path("mediaType").asText(""),
                Digest.parse(layer.path("digest").asText("")),
                layer.path("size").asLong(-1),
                annotations));
      } catch (IllegalArgumentException e) {
        throw new IOException(where + " has a layer with a bad digest: " + e.getMessage(), e);
      }
    }
    return layers;
  }
}
