package dev.rig.spec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.pkl.core.resource.Resource;

/**
 * Collects what one evaluation read (see {@link RecordingModuleKeys} and {@link
 * RecordingResourceReader}), or why its result may not be cached: a glob, a triple-dot import, a
 * read that failed in a way that cannot be replayed. Thread-safe, because Pkl may call readers from
 * any thread.
 */
final class SpecInputs {
  private final Set<SpecInput> inputs = new LinkedHashSet<>();
  private final List<String> uncacheable = new ArrayList<>();

  synchronized void add(SpecInput input) {
    inputs.add(input);
  }

  /** Marks the evaluation as not cacheable; the first reason is the one reported. */
  synchronized void uncacheable(String reason) {
    uncacheable.add(reason);
  }

  synchronized List<SpecInput> inputs() {
    return List.copyOf(inputs);
  }

  /** Why the result must not be cached, if it must not. */
  synchronized Optional<String> uncacheableReason() {
    return uncacheable.stream().findFirst();
  }

  /** The digest of bytes: {@code sha256:HEX}. */
  static String digest(byte[] bytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * What a resource reader's answer was, as a comparable string; empty for an answer of a kind that
   * cannot be compared (then the evaluation is not cached).
   */
  static Optional<String> digest(Optional<Object> answer) {
    if (answer.isEmpty()) {
      return Optional.of("none");
    }
    Object value = answer.get();
    if (value instanceof Resource resource) {
      return Optional.of("bytes " + digest(resource.bytes()));
    }
    if (value instanceof String text) {
      return Optional.of("text " + digest(text.getBytes(StandardCharsets.UTF_8)));
    }
    return Optional.empty();
  }
}
