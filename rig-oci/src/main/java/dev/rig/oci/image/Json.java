package dev.rig.oci.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rig.oci.digest.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * JSON for OCI documents. Documents are built as trees with fields added in a fixed order and
 * written compactly, so the bytes (and therefore digests) are a function of the values only.
 * Reading is lenient about unknown fields and strict about the fields rig needs.
 */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Json() {}

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  public static ArrayNode array(Collection<String> values) {
    ArrayNode array = NODES.arrayNode();
    values.forEach(array::add);
    return array;
  }

  /** Compact UTF-8 bytes of a tree, fields in insertion order. */
  public static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
  }

  /**
   * Parses bytes into a tree.
   *
   * @throws IllegalArgumentException when they are not a JSON object
   */
  public static ObjectNode parseObject(byte[] bytes, String what) {
    JsonNode node;
    try {
      node = MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException(what + " is not valid JSON: " + e.getMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(what + " is not a JSON object");
    }
    return (ObjectNode) node;
  }

  public static String requiredText(JsonNode node, String field, String what) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException(what + " has no string field \"" + field + "\"");
    }
    return value.asText();
  }

  public static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value != null && value.isTextual() ? value.asText() : "";
  }

  public static List<String> texts(JsonNode node, String field) {
    List<String> out = new ArrayList<>();
    JsonNode value = node == null ? null : node.get(field);
    if (value != null && value.isArray()) {
      value.forEach(v -> out.add(v.asText()));
    }
    return out;
  }

  /** The keys of an object field (e.g. ExposedPorts, Volumes). */
  public static List<String> keys(JsonNode node, String field) {
    List<String> out = new ArrayList<>();
    JsonNode value = node == null ? null : node.get(field);
    if (value != null && value.isObject()) {
      value.fieldNames().forEachRemaining(out::add);
    }
    return out;
  }

  /** A string-to-string object field, sorted by key. */
  public static Map<String, String> stringMap(JsonNode node, String field) {
    Map<String, String> out = new TreeMap<>();
    JsonNode value = node == null ? null : node.get(field);
    if (value != null && value.isObject()) {
      value.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    }
    return out;
  }

  public static ObjectNode stringMapNode(Map<String, String> map) {
    ObjectNode node = object();
    new TreeMap<>(map).forEach(node::put);
    return node;
  }

  public static ObjectNode descriptor(Descriptor descriptor) {
    ObjectNode node = object();
    node.put("mediaType", descriptor.mediaType());
    node.put("digest", descriptor.digest().toString());
    node.put("size", descriptor.size());
    if (!descriptor.annotations().isEmpty()) {
      node.set("annotations", stringMapNode(descriptor.annotations()));
    }
    descriptor
        .platform()
        .ifPresent(
            platform -> {
              ObjectNode p = object();
              p.put("architecture", platform.architecture());
              p.put("os", platform.os());
              if (!platform.variant().isEmpty()) {
                p.put("variant", platform.variant());
              }
              node.set("platform", p);
            });
    return node;
  }

  public static Descriptor parseDescriptor(JsonNode node, String what) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(what + " is not a descriptor object");
    }
    Digest digest;
    try {
      digest = Digest.parse(requiredText(node, "digest", what));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
    }
    JsonNode size = node.get("size");
    if (size == null || !size.canConvertToLong() || size.asLong() < 0) {
      throw new IllegalArgumentException(what + " has no valid \"size\"");
    }
    Optional<Platform> platform = Optional.empty();
    JsonNode p = node.get("platform");
    if (p != null && p.isObject()) {
      platform =
          Optional.of(new Platform(text(p, "architecture"), text(p, "os"), text(p, "variant")));
    }
    return new Descriptor(
        requiredText(node, "mediaType", what),
        digest,
        size.asLong(),
        stringMap(node, "annotations"),
        platform);
  }
}
