package dev.rig.python.marker;

import java.util.ArrayList;
import java.util.List;

/**
 * A recursive-descent parser for PEP 508 markers: {@code or} binds looser than {@code and},
 * parentheses group, strings take either quote. Errors point at the column.
 */
final class MarkerParser {
  private static final List<String> OPERATORS =
      List.of("===", "==", "!=", "<=", ">=", "~=", "<", ">", "not in", "in");

  private final String text;
  private int pos;

  private MarkerParser(String text) {
    this.text = text;
  }

  static Marker parse(String text) {
    MarkerParser parser = new MarkerParser(text);
    Marker marker = parser.or();
    parser.skipSpace();
    if (parser.pos != text.length()) {
      throw MarkerSyntaxException.at(
          text, parser.pos, "expected 'and', 'or' or the end of the marker");
    }
    return marker;
  }

  private Marker or() {
    List<Marker> parts = new ArrayList<>();
    parts.add(and());
    while (keyword("or")) {
      parts.add(and());
    }
    return parts.size() == 1 ? parts.get(0) : new Marker.Or(parts);
  }

  private Marker and() {
    List<Marker> parts = new ArrayList<>();
    parts.add(atom());
    while (keyword("and")) {
      parts.add(atom());
    }
    return parts.size() == 1 ? parts.get(0) : new Marker.And(parts);
  }

  private Marker atom() {
    skipSpace();
    if (pos < text.length() && text.charAt(pos) == '(') {
      pos++;
      Marker inner = or();
      skipSpace();
      if (pos >= text.length() || text.charAt(pos) != ')') {
        throw MarkerSyntaxException.at(text, pos, "expected ')'");
      }
      pos++;
      return inner;
    }
    Marker.Operand left = operand();
    String operator = operator();
    Marker.Operand right = operand();
    return new Marker.Compare(left, operator, right);
  }

  private Marker.Operand operand() {
    skipSpace();
    if (pos >= text.length()) {
      throw MarkerSyntaxException.at(text, pos, "expected a marker variable or a quoted string");
    }
    char c = text.charAt(pos);
    if (c == '"' || c == '\'') {
      int end = text.indexOf(c, pos + 1);
      if (end < 0) {
        throw MarkerSyntaxException.at(text, pos, "this string has no closing " + c);
      }
      String value = text.substring(pos + 1, end);
      pos = end + 1;
      return new Marker.Operand(false, value);
    }
    int start = pos;
    while (pos < text.length()
        && (Character.isLetterOrDigit(text.charAt(pos))
            || text.charAt(pos) == '_'
            || text.charAt(pos) == '.')) {
      pos++;
    }
    String name = text.substring(start, pos);
    // Old spellings that setuptools still writes.
    String canonical = name.replace('.', '_');
    if (canonical.equals("os_name") || Marker.VARIABLES.contains(canonical)) {
      return new Marker.Operand(true, canonical);
    }
    if (canonical.equals("python_implementation")) {
      return new Marker.Operand(true, "platform_python_implementation");
    }
    throw MarkerSyntaxException.at(
        text,
        start,
        name.isEmpty()
            ? "expected a marker variable or a quoted string"
            : "'"
                + name
                + "' is not a marker variable; use one of "
                + String.join(", ", Marker.VARIABLES.stream().sorted().toList()));
  }

  private String operator() {
    skipSpace();
    for (String op : OPERATORS) {
      if (op.equals("not in")) {
        int save = pos;
        if (keyword("not") && keyword("in")) {
          return op;
        }
        pos = save;
        continue;
      }
      if (op.equals("in")) {
        if (keyword("in")) {
          return op;
        }
        continue;
      }
      if (text.startsWith(op, pos)) {
        pos += op.length();
        return op;
      }
    }
    throw MarkerSyntaxException.at(
        text, pos, "expected a comparison: " + String.join(", ", OPERATORS));
  }

  /** Consumes {@code word} as a whole word, after spaces. */
  private boolean keyword(String word) {
    skipSpace();
    if (!text.startsWith(word, pos)) {
      return false;
    }
    int end = pos + word.length();
    if (end < text.length()
        && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
      return false;
    }
    pos = end;
    return true;
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }
}
