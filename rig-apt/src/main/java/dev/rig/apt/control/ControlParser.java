package dev.rig.apt.control;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

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
    return parse(source, text, 1);
  }

  /**
   * {@link #parse(String, String)} of a piece of a larger file whose first line is line {@code
   * firstLine} there, so that stanzas and errors name the lines of the whole file.
   */
  public static List<Stanza> parse(String source, String text, int firstLine) {
    List<Stanza> out = new ArrayList<>();
    LinkedHashMap<String, String> fields = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    StringBuilder value = null;
    String name = null;
    int start = 0;
    int lineNo = firstLine - 1;
    int at = 0;
    int length = text.length();
    // Lines end at '\n', a '\r' before it dropped (the split apt's files need), read in place.
    while (at <= length) {
      int newline = text.indexOf('\n', at);
      int end = newline < 0 ? length : newline;
      int next = end + 1;
      if (end > at && text.charAt(end - 1) == '\r' && newline >= 0) {
        end--;
      }
      String line = text.substring(at, end);
      at = next;
      lineNo++;
      if (line.isBlank()) {
        if (name != null) {
          fields.put(name, value.toString());
          name = null;
        }
        if (!fields.isEmpty()) {
          out.add(new Stanza(source, start, fields));
          fields = new LinkedHashMap<>();
          seen.clear();
        }
        continue;
      }
      char first = line.charAt(0);
      if (first == ' ' || first == '\t') {
        if (name == null) {
          throw new ControlFileException(
              source + ":" + lineNo + ": continuation line without a field");
        }
        value.append('\n').append(line, 1, line.length());
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
      if (!seen.add(name.toLowerCase(Locale.ROOT))) {
        throw new ControlFileException(source + ":" + lineNo + ": field " + name + " repeated");
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
