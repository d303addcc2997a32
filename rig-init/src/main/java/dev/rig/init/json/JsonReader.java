package dev.rig.init.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON parser (RFC 8259) into {@link JsonValue}s with places. rig-init used Jackson's data
 * binding for its two files; this reader is a few classes instead of 585 in the class archive and 2
 * MiB in every image, and reads runtime.json in well under a millisecond.
 */
public final class JsonReader {
  /** Deeper nesting than any file rig writes; a bound keeps hostile input off the stack's end. */
  private static final int MAX_DEPTH = 256;

  private final String text;
  private int pos;
  private int line = 1;
  private int lineStart;

  private JsonReader(String text) {
    this.text = text;
  }

  /** The one value {@code text} holds. */
  public static JsonValue parse(String text) throws JsonException {
    JsonReader r = new JsonReader(text);
    r.skipSpace();
    JsonValue v = r.value(0);
    r.skipSpace();
    if (r.pos < text.length()) {
      throw r.error("unexpected '" + text.charAt(r.pos) + "' after the value");
    }
    return v;
  }

  private JsonValue value(int depth) throws JsonException {
    if (depth > MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH + " levels");
    }
    if (pos >= text.length()) {
      throw error("unexpected end of input; expected a value");
    }
    JsonValue.Place place = place();
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object(place, depth);
      case '[':
        return array(place, depth);
      case '"':
        return new JsonValue.Str(string(), place);
      case 't':
        word("true");
        return new JsonValue.Bool(true, place);
      case 'f':
        word("false");
        return new JsonValue.Bool(false, place);
      case 'n':
        word("null");
        return new JsonValue.Null(place);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return new JsonValue.Num(number(), place);
        }
        throw error("unexpected '" + c + "'; expected a value");
    }
  }

  private JsonValue object(JsonValue.Place place, int depth) throws JsonException {
    pos++;
    Map<String, JsonValue> fields = new LinkedHashMap<>();
    skipSpace();
    if (peek() == '}') {
      pos++;
      return new JsonValue.Obj(Collections.unmodifiableMap(fields), place);
    }
    while (true) {
      skipSpace();
      if (peek() != '"') {
        throw error("expected a field name in double quotes");
      }
      JsonValue.Place namePlace = place();
      String name = string();
      skipSpace();
      expect(':');
      skipSpace();
      JsonValue v = value(depth + 1);
      if (fields.putIfAbsent(name, v) != null) {
        throw new JsonException(namePlace, "field '" + name + "' appears twice");
      }
      skipSpace();
      char c = peek();
      pos++;
      if (c == '}') {
        return new JsonValue.Obj(Collections.unmodifiableMap(fields), place);
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or '}' in an object");
      }
    }
  }

  private JsonValue array(JsonValue.Place place, int depth) throws JsonException {
    pos++;
    List<JsonValue> items = new ArrayList<>();
    skipSpace();
    if (peek() == ']') {
      pos++;
      return new JsonValue.Arr(List.copyOf(items), place);
    }
    while (true) {
      skipSpace();
      items.add(value(depth + 1));
      skipSpace();
      char c = peek();
      pos++;
      if (c == ']') {
        return new JsonValue.Arr(List.copyOf(items), place);
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or ']' in an array");
      }
    }
  }

  private String string() throws JsonException {
    pos++;
    StringBuilder b = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return b.toString();
      }
      if (c < 0x20) {
        pos--;
        throw error("control character in a string; write it as an escape");
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> b.append(unicodeEscape());
        default -> {
          pos--;
          throw error("unknown escape '\\" + e + "'");
        }
      }
    }
  }

  private char unicodeEscape() throws JsonException {
    if (pos + 4 > text.length()) {
      throw error("short \\u escape");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(text.charAt(pos + i), 16);
      if (d < 0) {
        throw error("\\u needs four hex digits");
      }
      v = v * 16 + d;
    }
    pos += 4;
    return (char) v;
  }

  private BigDecimal number() throws JsonException {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (!digits()) {
      throw error("a number needs digits");
    }
    if (peek() == '.') {
      pos++;
      if (!digits()) {
        throw error("a number needs digits after '.'");
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!digits()) {
        throw error("a number needs digits in its exponent");
      }
    }
    if (pos - start > 100) {
      throw error("number longer than 100 characters");
    }
    return new BigDecimal(text.substring(start, pos));
  }

  private boolean digits() {
    int start = pos;
    while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
    }
    return pos > start;
  }

  private void word(String w) throws JsonException {
    if (!text.startsWith(w, pos)) {
      throw error("unexpected '" + text.charAt(pos) + "'; expected a value");
    }
    pos += w.length();
  }

  private void expect(char c) throws JsonException {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  /** The next character, or NUL at the end (which no rule accepts). */
  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private void skipSpace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '\n') {
        line++;
        lineStart = pos + 1;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private JsonValue.Place place() {
    return new JsonValue.Place(line, pos - lineStart + 1);
  }

  private JsonException error(String message) {
    return new JsonException(
        place(),
        pos >= text.length() && !message.startsWith("unexpected end")
            ? message + " (at the end of the input)"
            : message);
  }
}
