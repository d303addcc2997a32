package dev.rig.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.DoubleFunction;

/** The small pure pieces of the content loop's rows: shares, medians, names read from JSON. */
final class LoopMath {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LoopMath() {}

  /** "38% of the build": a phase's share of the whole wall time. */
  static String share(double part, double whole) {
    if (whole <= 0) {
      return "";
    }
    return String.format(Locale.ROOT, "%.0f%% of the build", 100 * part / whole);
  }

  /** "sha256:0123456789ab": enough of a digest to compare by eye. */
  static String shortDigest(String digest) {
    int colon = digest.indexOf(':');
    int end = Math.min(digest.length(), colon + 1 + 12);
    return digest.substring(0, end);
  }

  /** The value formatted, or "n/a" when it was not measured. */
  static String orNa(OptionalDouble value, DoubleFunction<String> format) {
    return value.isPresent() ? format.apply(value.getAsDouble()) : "n/a";
  }

  /** The median of some values; empty when there are none. */
  static OptionalDouble median(List<Double> values) {
    if (values.isEmpty()) {
      return OptionalDouble.empty();
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    int n = sorted.length;
    return OptionalDouble.of(n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2);
  }

  /**
   * The seconds bash's {@code time} printed with TIMEFORMAT=%R, one a line; other lines skipped.
   */
  static List<Double> timings(String output) {
    return output
        .lines()
        .map(String::strip)
        .filter(l -> l.matches("\\d+\\.\\d+"))
        .map(Double::parseDouble)
        .toList();
  }

  /** The reference name of an OCI layout's first manifest (the tag skopeo addresses it by). */
  static String refName(JsonNode index) {
    JsonNode first = index.path("manifests").path(0);
    String name = first.path("annotations").path("org.opencontainers.image.ref.name").asText("");
    if (name.isEmpty()) {
      throw new BenchException("the layout's index.json names no image (no ref.name annotation)");
    }
    return name;
  }

  /**
   * The total bytes {@code rig cache --json} reports: a top-level number named {@code total},
   * {@code totalBytes} or {@code bytes} (or such a field of a {@code total} object); empty when the
   * output has none, since the command is being written while this bench is.
   */
  static OptionalDouble cacheTotal(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      return OptionalDouble.empty();
    }
    if (root == null) {
      return OptionalDouble.empty();
    }
    for (String field : List.of("totalBytes", "total", "bytes", "size")) {
      JsonNode node = root.path(field);
      if (node.isNumber()) {
        return OptionalDouble.of(node.asDouble());
      }
      if (node.isObject()) {
        for (String inner : List.of("bytes", "size", "totalBytes")) {
          if (node.path(inner).isNumber()) {
            return OptionalDouble.of(node.path(inner).asDouble());
          }
        }
      }
    }
    return OptionalDouble.empty();
  }
}
