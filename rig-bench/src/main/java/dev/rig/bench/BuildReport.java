package dev.rig.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code rig build --json} says about a build: each image's digest and layers, and the time of
 * every phase. Read leniently: the bench measures whatever rig reports, so a field rig does not
 * write yet is absent, never an error, and sub-phases (any array of timed entries inside a phase)
 * are picked up under their parent's name.
 */
record BuildReport(List<Image> images, List<Phase> phases) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One image: its name, digest and own layers. */
  record Image(String name, String reference, String digest, List<Layer> layers) {}

  /** One layer as rig describes it ({@code createdBy}, {@code origin}) and its compressed bytes. */
  record Layer(String createdBy, String origin, String digest, long bytes) {}

  /**
   * One timed phase. {@code name} is the phase ("install"), or parent/child for a sub-phase
   * ("install/configure"); {@code cached} when the cache served it whole.
   */
  record Phase(String scope, String name, double seconds, boolean cached) {}

  static BuildReport parse(String json) throws IOException {
    JsonNode root = JSON.readTree(json);
    List<Image> images = new ArrayList<>();
    for (JsonNode image : root.path("images")) {
      List<Layer> layers = new ArrayList<>();
      for (JsonNode layer : image.path("layers").path("own")) {
        layers.add(
            new Layer(
                layer.path("createdBy").asText(""),
                layer.path("origin").asText(""),
                layer.path("digest").asText(""),
                layer.path("bytes").asLong()));
      }
      images.add(
          new Image(
              image.path("name").asText(""),
              image.path("reference").asText(""),
              image.path("digest").asText(""),
              List.copyOf(layers)));
    }
    List<Phase> phases = new ArrayList<>();
    for (JsonNode phase : root.path("phases")) {
      addPhase(phases, phase, "", phase.path("scope").asText(""), 0);
    }
    return new BuildReport(List.copyOf(images), List.copyOf(phases));
  }

  private static void addPhase(
      List<Phase> into, JsonNode node, String parent, String scope, int depth) {
    String own = name(node);
    String name = parent.isEmpty() ? own : parent + "/" + own;
    into.add(
        new Phase(
            node.path("scope").asText(scope),
            name,
            node.path("seconds").asDouble(),
            node.path("cached").asBoolean(false)));
    if (depth >= 3) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      JsonNode value = it.next().getValue();
      if (!value.isArray()) {
        continue;
      }
      for (JsonNode child : value) {
        if (child.isObject() && child.has("seconds") && !name(child).isEmpty()) {
          addPhase(into, child, name, node.path("scope").asText(scope), depth + 1);
        }
      }
    }
  }

  /** A timed entry's name: "phase", else "name", else "step". */
  private static String name(JsonNode node) {
    for (String field : List.of("phase", "name", "step")) {
      if (node.path(field).isTextual()) {
        return node.path(field).asText();
      }
    }
    return "";
  }

  /** The first image's, or the named one's, digest. */
  Optional<Image> image(String name) {
    return images.stream().filter(i -> i.name().equals(name)).findFirst();
  }

  /** Seconds of the top-level phases, which do not overlap (sub-phases are parts of them). */
  double topLevelSeconds() {
    return phases.stream().filter(p -> !p.name().contains("/")).mapToDouble(Phase::seconds).sum();
  }
}
