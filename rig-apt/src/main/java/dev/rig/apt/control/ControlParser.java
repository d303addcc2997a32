package dev.rig.apt.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

/** Splits deb822 text (Packages, Release, status files) into {@link Stanza}s. */
public final class ControlParser {
  private ControlParser() {}

  /**
   * Parses all stanzas. Blank lines separate stanzas, lines starting with a blank continue the
   * previous field, and lines starting with '#' outside a field are comments (deb822 allows them in
   * sources files). A repeated field in one stanza is an error because apt would pick one silently
   * and we must not guess which.
   */
  public static List<Stanza> parse(String source, String text) {
    List<Stanza> out = new ArrayList<>();
    LinkedHashMap<String, String> fields = new LinkedHashMap<>();
    StringBuilder value = null;
    String name = null;
    int start = 0;
    String[] lines = text.split("\r?\n", -1);
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n];
      int lineNo = n + 1;
      if (line.isBlank()) {
        if (name != null) {
          fields.put(name, value.toString());
          name = null;
        }
        if (!fields.isEmpty()) {
          out.add(new Stanza(source, start, fields));
          fields = new LinkedHashMap<>();
        }
        continue;
      }
      char first = line.charAt(0);
      if (first == ' ' || first == '\t') {
        if (name == null) {
          throw new ControlFileException(
              source + ":" + lineNo + ": continuation line without a field");
        }
        value.append('\n').append(line.substring(1));
        continue;
      }
      if (first == '#') {
        continue;
      }
      if (name != null) {
        fields.put(name, value.toString());
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new ControlFileException(source + ":" + lineNo + ": expected 'Field: value'");
      }
      if (fields.isEmpty()) {
        start = lineNo;
      }
      name = line.substring(0, colon);
      String lower = name.toLowerCase(Locale.ROOT);
      for (String existing : fields.keySet()) {
        if (existing.toLowerCase(Locale.ROOT).equals(lower)) {
          throw new ControlFileException(source + ":" + lineNo + ": field " + name + " repeated");
        }
      }
      value = new StringBuilder(line.substring(colon + 1).strip());
    }
    if (name != null) {
      fields.put(name, value.toString());
    }
    if (!fields.isEmpty()) {
      out.add(new Stanza(source, start, fields));
    }
    return List.copyOf(out);
  }
}
