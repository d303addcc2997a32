package dev.rig.build.sbom;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A package URL ({@code pkg:TYPE/NAMESPACE/NAME@VERSION?QUALIFIERS#SUBPATH}) as the purl
 * specification defines it: {@link #toString} writes the canonical form (lower-case type, sorted
 * qualifiers, every character but the unreserved ones percent-encoded) and {@link #parse} reads any
 * valid form back, refusing what the specification forbids.
 *
 * @param namespace slash-separated segments, decoded; empty when the type has none
 * @param version decoded; empty when none
 * @param subpath slash-separated segments, decoded; empty when none
 */
public record Purl(
    String type,
    String namespace,
    String name,
    String version,
    SortedMap<String, String> qualifiers,
    String subpath) {
  private static final Pattern TYPE = Pattern.compile("[a-zA-Z][a-zA-Z0-9.+-]*");
  private static final Pattern QUALIFIER_KEY = Pattern.compile("[a-zA-Z][a-zA-Z0-9._-]*");

  public Purl {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(subpath, "subpath");
    if (!TYPE.matcher(type).matches()) {
      throw new IllegalArgumentException(
          "purl type '"
              + type
              + "' must start with a letter and hold only letters, digits, '.', '+' and '-'");
    }
    type = type.toLowerCase(Locale.ROOT);
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a purl needs a name");
    }
    for (String segment : segments(namespace)) {
      if (segment.isEmpty()) {
        throw new IllegalArgumentException(
            "purl namespace '" + namespace + "' has an empty segment");
      }
    }
    TreeMap<String, String> sorted = new TreeMap<>();
    for (var entry : qualifiers.entrySet()) {
      String key = entry.getKey().toLowerCase(Locale.ROOT);
      if (!QUALIFIER_KEY.matcher(key).matches()) {
        throw new IllegalArgumentException(
            "purl qualifier key '"
                + entry.getKey()
                + "' must start with a letter and hold only letters, digits, '.', '_' and '-'");
      }
      if (entry.getValue().isEmpty()) {
        continue;
      }
      if (sorted.put(key, entry.getValue()) != null) {
        throw new IllegalArgumentException("purl qualifier '" + key + "' given twice");
      }
    }
    qualifiers = Collections.unmodifiableSortedMap(sorted);
    for (String segment : segments(subpath)) {
      if (segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("purl subpath '" + subpath + "' has a '.' or '..'");
      }
    }
  }

  /** A purl without qualifiers or subpath. */
  public static Purl of(String type, String namespace, String name, String version) {
    return new Purl(type, namespace, name, version, new TreeMap<>(), "");
  }

  /** This purl with one qualifier more (or replaced). */
  public Purl withQualifier(String key, String value) {
    TreeMap<String, String> more = new TreeMap<>(qualifiers);
    more.put(key, value);
    return new Purl(type, namespace, name, version, more, subpath);
  }

  /** The canonical form. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("pkg:").append(type).append('/');
    for (String segment : segments(namespace)) {
      out.append(encode(segment)).append('/');
    }
    out.append(encode(name));
    if (!version.isEmpty()) {
      out.append('@').append(encode(version));
    }
    if (!qualifiers.isEmpty()) {
      List<String> pairs = new ArrayList<>();
      qualifiers.forEach((key, value) -> pairs.add(key + "=" + encode(value)));
      out.append('?').append(String.join("&", pairs));
    }
    if (!subpath.isEmpty()) {
      List<String> parts = new ArrayList<>();
      segments(subpath).forEach(segment -> parts.add(encode(segment)));
      out.append('#').append(String.join("/", parts));
    }
    return out.toString();
  }

  /**
   * Reads a purl in any valid form, as the specification's parsing steps say.
   *
   * @throws IllegalArgumentException saying what is wrong, for text that is not a valid purl
   */
  public static Purl parse(String text) {
    String rest = text;
    String subpath = "";
    int hash = rest.indexOf('#');
    if (hash >= 0) {
      List<String> parts = new ArrayList<>();
      for (String segment : rest.substring(hash + 1).split("/")) {
        if (!segment.isEmpty()) {
          parts.add(decode(segment, text));
        }
      }
      subpath = String.join("/", parts);
      rest = rest.substring(0, hash);
    }
    TreeMap<String, String> qualifiers = new TreeMap<>();
    int question = rest.indexOf('?');
    if (question >= 0) {
      for (String pair : rest.substring(question + 1).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int equals = pair.indexOf('=');
        if (equals <= 0) {
          throw new IllegalArgumentException(
              "purl '" + text + "': qualifier '" + pair + "' is not KEY=VALUE");
        }
        String key = pair.substring(0, equals).toLowerCase(Locale.ROOT);
        if (qualifiers.containsKey(key)) {
          throw new IllegalArgumentException(
              "purl '" + text + "': qualifier '" + key + "' given twice");
        }
        qualifiers.put(key, decode(pair.substring(equals + 1), text));
      }
      rest = rest.substring(0, question);
    }
    int colon = rest.indexOf(':');
    if (colon < 0 || !rest.substring(0, colon).equalsIgnoreCase("pkg")) {
      throw new IllegalArgumentException("purl '" + text + "' does not start with 'pkg:'");
    }
    rest = strip(rest.substring(colon + 1));
    int slash = rest.indexOf('/');
    if (slash <= 0) {
      throw new IllegalArgumentException("purl '" + text + "' has no TYPE/NAME");
    }
    String type = rest.substring(0, slash);
    rest = strip(rest.substring(slash + 1));
    String version = "";
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      version = decode(rest.substring(at + 1), text);
      if (version.isEmpty()) {
        throw new IllegalArgumentException("purl '" + text + "' has an empty version after '@'");
      }
      rest = rest.substring(0, at);
    }
    int last = rest.lastIndexOf('/');
    String name = decode(rest.substring(last + 1), text);
    List<String> namespace = new ArrayList<>();
    if (last > 0) {
      for (String segment : rest.substring(0, last).split("/")) {
        if (!segment.isEmpty()) {
          namespace.add(decode(segment, text));
        }
      }
    }
    try {
      return new Purl(type, String.join("/", namespace), name, version, qualifiers, subpath);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("purl '" + text + "': " + e.getMessage(), e);
    }
  }

  private static String strip(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && text.charAt(start) == '/') {
      start++;
    }
    while (end > start && text.charAt(end - 1) == '/') {
      end--;
    }
    return text.substring(start, end);
  }

  private static List<String> segments(String path) {
    return path.isEmpty() ? List.of() : List.of(path.split("/", -1));
  }

  /** Percent-encodes every byte but the unreserved characters of RFC 3986. */
  static String encode(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  private static String decode(String text, String purl) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        if (i + 2 >= text.length() || hex(text.charAt(i + 1)) < 0 || hex(text.charAt(i + 2)) < 0) {
          throw new IllegalArgumentException(
              "purl '" + purl + "': '%' not followed by two hex digits in '" + text + "'");
        }
        bytes.write(hex(text.charAt(i + 1)) * 16 + hex(text.charAt(i + 2)));
        i += 2;
      } else if (c <= ' ' || c > '~') {
        throw new IllegalArgumentException(
            "purl '" + purl + "': character '" + c + "' must be percent-encoded");
      } else {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }
}
