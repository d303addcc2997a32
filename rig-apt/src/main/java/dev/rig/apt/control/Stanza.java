package dev.rig.apt.control;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One paragraph of a deb822 control file. Field names keep their spelling and order for output, but
 * lookups ignore case, as dpkg and apt do.
 *
 * @param source where the stanza came from, for error messages (e.g. {@code
 *     main/binary-amd64/Packages})
 * @param line the 1-based line on which the stanza starts
 */
public record Stanza(String source, int line, Map<String, String> fields) {

  public Stanza {
    LinkedHashMap<String, String> copy = new LinkedHashMap<>();
    fields.forEach(copy::put);
    fields = Collections.unmodifiableMap(copy);
  }

  /** The value of a field (continuation lines joined with '\n'), whatever its case. */
  public Optional<String> get(String name) {
    String direct = fields.get(name);
    if (direct != null) {
      return Optional.of(direct);
    }
    String lower = name.toLowerCase(Locale.ROOT);
    for (Map.Entry<String, String> e : fields.entrySet()) {
      if (e.getKey().toLowerCase(Locale.ROOT).equals(lower)) {
        return Optional.of(e.getValue());
      }
    }
    return Optional.empty();
  }

  /** The value of a required field, or an error naming the stanza's place. */
  public String require(String name) {
    return get(name)
        .orElseThrow(() -> new ControlFileException(where() + ": missing field " + name));
  }

  /** The value split on blanks and line breaks; empty when the field is absent. */
  public List<String> words(String name) {
    return get(name)
        .map(v -> v.isBlank() ? List.<String>of() : List.of(v.strip().split("\\s+")))
        .orElse(List.of());
  }

  public String where() {
    return source + ":" + line;
  }
}
