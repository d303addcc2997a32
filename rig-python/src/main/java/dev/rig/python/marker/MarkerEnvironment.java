package dev.rig.python.marker;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The values PEP 508 marker variables take on one target ({@code python_version}, {@code
 * platform_machine}, ..., and {@code extra} while the dependencies of an extra are read).
 */
public record MarkerEnvironment(Map<String, String> values) {
  public MarkerEnvironment {
    values = Map.copyOf(values);
  }

  public Optional<String> get(String variable) {
    return Optional.ofNullable(values.get(variable));
  }

  /** This environment with {@code extra} set, to read the dependencies of that extra. */
  public MarkerEnvironment withExtra(String extra) {
    Map<String, String> copy = new TreeMap<>(values);
    copy.put("extra", extra);
    return new MarkerEnvironment(copy);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects variables one at a time. */
  public static final class Builder {
    private final Map<String, String> values = new TreeMap<>();

    public Builder put(String variable, String value) {
      values.put(variable, value);
      return this;
    }

    public MarkerEnvironment build() {
      return new MarkerEnvironment(values);
    }
  }
}
