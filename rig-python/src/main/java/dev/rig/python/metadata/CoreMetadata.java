package dev.rig.python.metadata;

import dev.rig.python.requirement.ProjectName;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The fields of a wheel's {@code METADATA} file (core metadata, an RFC 822-style header block) that
 * resolution needs: name, version, Requires-Python, Requires-Dist and Provides-Extra. The
 * description after the first blank line is not read.
 */
public record CoreMetadata(
    String name,
    String version,
    Optional<String> requiresPython,
    List<String> requiresDist,
    List<String> providesExtra) {
  public CoreMetadata {
    requiresDist = List.copyOf(requiresDist);
    providesExtra = List.copyOf(providesExtra);
  }

  /** Reads the header block of {@code text}; {@code source} names the file in errors. */
  public static CoreMetadata parse(String text, String source) {
    String name = null;
    String version = null;
    Optional<String> requiresPython = Optional.empty();
    List<String> requiresDist = new ArrayList<>();
    List<String> providesExtra = new ArrayList<>();
    List<String[]> fields = new ArrayList<>();
    for (String line : text.replace("\r\n", "\n").split("\n", -1)) {
      if (line.isEmpty()) {
        break;
      }
      if ((line.startsWith(" ") || line.startsWith("\t")) && !fields.isEmpty()) {
        String[] last = fields.get(fields.size() - 1);
        last[1] = last[1] + " " + line.strip();
        continue;
      }
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      fields.add(
          new String[] {line.substring(0, colon).strip(), line.substring(colon + 1).strip()});
    }
    for (String[] field : fields) {
      switch (field[0].toLowerCase(Locale.ROOT)) {
        case "name":
          name = field[1];
          break;
        case "version":
          version = field[1];
          break;
        case "requires-python":
          requiresPython = field[1].isEmpty() ? Optional.empty() : Optional.of(field[1]);
          break;
        case "requires-dist":
          requiresDist.add(field[1]);
          break;
        case "provides-extra":
          providesExtra.add(ProjectName.normalize(field[1]));
          break;
        default:
          break;
      }
    }
    if (name == null || version == null) {
      throw new IllegalArgumentException(
          source + " is not wheel metadata: it lacks a Name or Version field");
    }
    return new CoreMetadata(name, version, requiresPython, requiresDist, providesExtra);
  }
}
