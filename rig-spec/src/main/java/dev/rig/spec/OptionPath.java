package dev.rig.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * Where an option sits in a spec, e.g. images → "foo" → exposedPorts → 0. Written the way the user
 * wrote the spec: {@code images["foo"].exposedPorts[0]} for Pkl, {@code images.foo.exposedPorts[0]}
 * for YAML and JSON.
 */
record OptionPath(List<Segment> segments) {
  static final OptionPath ROOT = new OptionPath(List.of());

  OptionPath {
    segments = List.copyOf(segments);
  }

  /** One step of a path. */
  sealed interface Segment {}

  /** A property of an object, e.g. {@code tag}. */
  record Property(String name) implements Segment {}

  /** An entry of a mapping, e.g. {@code ["foo"]}. */
  record Key(String key) implements Segment {}

  /** An element of a listing, counted from 0. */
  record Index(int index) implements Segment {}

  enum Style {
    PKL,
    DATA
  }

  OptionPath property(String name) {
    return plus(new Property(name));
  }

  OptionPath key(String key) {
    return plus(new Key(key));
  }

  OptionPath index(int index) {
    return plus(new Index(index));
  }

  boolean isRoot() {
    return segments.isEmpty();
  }

  private OptionPath plus(Segment segment) {
    List<Segment> longer = new ArrayList<>(segments);
    longer.add(segment);
    return new OptionPath(longer);
  }

  String render(Style style) {
    StringBuilder text = new StringBuilder();
    for (Segment segment : segments) {
      if (segment instanceof Property property) {
        if (text.length() > 0) {
          text.append('.');
        }
        text.append(property.name());
      } else if (segment instanceof Key key) {
        if (style == Style.DATA && key.key().matches("[A-Za-z0-9_-]+")) {
          if (text.length() > 0) {
            text.append('.');
          }
          text.append(key.key());
        } else {
          text.append('[').append(PklSyntax.string(key.key())).append(']');
        }
      } else if (segment instanceof Index index) {
        text.append('[').append(index.index()).append(']');
      }
    }
    return text.toString();
  }

  @Override
  public String toString() {
    return render(Style.PKL);
  }

  /**
   * Reads the member name of a Pkl stack frame, e.g. {@code rig#images["foo"].exposedPorts[#2]}:
   * the module name, then properties, {@code ["key"]} entries and {@code [#n]} elements (counted
   * from 1 within the listing literal). Parsing stops at anything else, such as a lambda.
   */
  static OptionPath ofPklMember(String member) {
    int hash = member.indexOf('#');
    if (hash < 0) {
      return ROOT;
    }
    OptionPath path = ROOT;
    String rest = member.substring(hash + 1);
    int at = 0;
    while (at < rest.length()) {
      char c = rest.charAt(at);
      if (c == '.') {
        at++;
      } else if (c == '[' && rest.startsWith("[#", at)) {
        int end = rest.indexOf(']', at);
        if (end < 0) {
          break;
        }
        try {
          path = path.index(Integer.parseInt(rest.substring(at + 2, end)) - 1);
        } catch (NumberFormatException e) {
          break;
        }
        at = end + 1;
      } else if (c == '[' && rest.startsWith("[\"", at)) {
        StringBuilder key = new StringBuilder();
        int i = at + 2;
        while (i < rest.length() && rest.charAt(i) != '"') {
          if (rest.charAt(i) == '\\' && i + 1 < rest.length()) {
            i++;
          }
          key.append(rest.charAt(i));
          i++;
        }
        if (!rest.startsWith("\"]", i)) {
          break;
        }
        path = path.key(key.toString());
        at = i + 2;
      } else if (c == '`') {
        int end = rest.indexOf('`', at + 1);
        if (end < 0) {
          break;
        }
        path = path.property(rest.substring(at + 1, end));
        at = end + 1;
      } else if (Character.isJavaIdentifierStart(c)) {
        int end = at;
        while (end < rest.length() && Character.isJavaIdentifierPart(rest.charAt(end))) {
          end++;
        }
        path = path.property(rest.substring(at, end));
        at = end;
      } else {
        break;
      }
    }
    return path;
  }
}
