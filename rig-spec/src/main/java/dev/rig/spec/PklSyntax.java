package dev.rig.spec;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pkl.core.PNull;

/** Writes Pkl source text: string literals, identifiers and plain values. */
final class PklSyntax {
  private PklSyntax() {}

  // Pkl's keywords, reserved words included: a property with such a name must be quoted.
  private static final Set<String> KEYWORDS =
      Set.of(
          "abstract",
          "amends",
          "as",
          "case",
          "class",
          "const",
          "delete",
          "else",
          "extends",
          "external",
          "false",
          "fixed",
          "for",
          "function",
          "hidden",
          "if",
          "import",
          "in",
          "is",
          "let",
          "local",
          "module",
          "new",
          "nothing",
          "null",
          "open",
          "out",
          "outer",
          "override",
          "protected",
          "read",
          "record",
          "super",
          "switch",
          "this",
          "throw",
          "trace",
          "true",
          "typealias",
          "unknown",
          "vararg",
          "when");

  /** A Pkl string literal for {@code value}. */
  static String string(String value) {
    StringBuilder text = new StringBuilder("\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> text.append("\\\\");
        case '"' -> text.append("\\\"");
        case '\n' -> text.append("\\n");
        case '\r' -> text.append("\\r");
        case '\t' -> text.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            text.append("\\u{").append(Integer.toHexString(c)).append('}');
          } else {
            text.append(c);
          }
        }
      }
    }
    return text.append('"').toString();
  }

  /** {@code name} as a Pkl identifier, quoted in backticks when it is not a plain one. */
  static String identifier(String name) {
    if (name.matches("[A-Za-z_$][A-Za-z0-9_$]*") && !KEYWORDS.contains(name)) {
      return name;
    }
    // A backtick cannot be quoted; such a name is no option anyway, and Pkl will say so.
    return "`" + name.replace('`', '\'') + "`";
  }

  /**
   * A plain value (as pkl-core returns it: String, Long, Double, Boolean, null, List, Map) as Pkl
   * source, on one line when short, else indented by {@code indent}.
   */
  static String value(Object value, String indent) {
    if (value == null || value instanceof PNull) {
      return "null";
    }
    if (value instanceof String string) {
      return string(string);
    }
    if (value instanceof List<?> list) {
      if (list.isEmpty()) {
        return "new {}";
      }
      String inline = "new { " + String.join("; ", list.stream().map(v -> value(v, "")).toList());
      if (list.size() <= 3 && inline.length() < 60 && !inline.contains("\n")) {
        return inline + " }";
      }
      StringBuilder text = new StringBuilder("new {\n");
      for (Object element : list) {
        text.append(indent).append("  ").append(value(element, indent + "  ")).append('\n');
      }
      return text.append(indent).append('}').toString();
    }
    if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        return "new {}";
      }
      StringBuilder text = new StringBuilder("new {\n");
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        text.append(indent)
            .append("  [")
            .append(value(entry.getKey(), ""))
            .append("] = ")
            .append(value(entry.getValue(), indent + "  "))
            .append('\n');
      }
      return text.append(indent).append('}').toString();
    }
    return String.valueOf(value);
  }
}
