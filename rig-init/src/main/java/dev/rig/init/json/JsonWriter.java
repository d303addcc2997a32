package dev.rig.init.json;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes maps, lists, strings, numbers, booleans and nulls as indented JSON (two spaces, one field
 * a line), the same bytes for the same value: runtime.json is part of an image's digest.
 */
public final class JsonWriter {
  private JsonWriter() {}

  public static String write(Object value) {
    StringBuilder b = new StringBuilder();
    write(b, value, "");
    return b.append('\n').toString();
  }

  private static void write(StringBuilder b, Object value, String indent) {
    if (value == null) {
      b.append("null");
    } else if (value instanceof String s) {
      quote(b, s);
    } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
      b.append(value);
    } else if (value instanceof Map<?, ?> map) {
      object(b, map, indent);
    } else if (value instanceof List<?> list) {
      array(b, list, indent);
    } else {
      throw new IllegalArgumentException("no JSON form for " + value.getClass().getName());
    }
  }

  private static void object(StringBuilder b, Map<?, ?> map, String indent) {
    if (map.isEmpty()) {
      b.append("{ }");
      return;
    }
    String inner = indent + "  ";
    b.append("{\n");
    Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<?, ?> e = it.next();
      b.append(inner);
      quote(b, String.valueOf(e.getKey()));
      b.append(" : ");
      write(b, e.getValue(), inner);
      b.append(it.hasNext() ? ",\n" : "\n");
    }
    b.append(indent).append('}');
  }

  private static void array(StringBuilder b, List<?> list, String indent) {
    if (list.isEmpty()) {
      b.append("[ ]");
      return;
    }
    String inner = indent + "  ";
    b.append("[ ");
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        b.append(", ");
      }
      Object item = list.get(i);
      if (item instanceof Map<?, ?>) {
        write(b, item, indent);
      } else {
        write(b, item, inner);
      }
    }
    b.append(" ]");
  }

  private static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04X", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
