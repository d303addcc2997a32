package dev.rig.init.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** rig-init's own JSON reader and writer: strict, located errors, and what it writes reads back. */
class JsonReaderTest {
  @Test
  void readsEveryKindWithPlaces() throws Exception {
    JsonValue v =
        JsonReader.parse("{\"a\": [1, -2.5e3, true, false, null],\n \"b\": \"x\\n\\u00e9\\\"\"}");
    JsonValue.Obj o = (JsonValue.Obj) v;
    assertEquals(List.of("a", "b"), List.copyOf(o.fields().keySet()));
    List<JsonValue> a = ((JsonValue.Arr) o.fields().get("a")).items();
    assertEquals(new BigDecimal("1"), ((JsonValue.Num) a.get(0)).value());
    assertEquals(0, new BigDecimal("-2500").compareTo(((JsonValue.Num) a.get(1)).value()));
    assertTrue(((JsonValue.Bool) a.get(2)).value());
    assertTrue(a.get(4) instanceof JsonValue.Null);
    JsonValue b = o.fields().get("b");
    assertEquals("x\n\u00e9\"", ((JsonValue.Str) b).text());
    assertEquals(new JsonValue.Place(2, 7), b.place());
  }

  @Test
  void badTextIsReportedWithItsPlace() {
    assertError("{\"a\": 1,\n  \"b\" 2}", "line 2, column 7: expected ':'");
    assertError("{\"a\": 1, \"a\": 2}", "line 1, column 10: field 'a' appears twice");
    assertError("[1 2]", "line 1, column 4: expected ',' or ']'");
    assertError("{\"a\": tru}", "line 1, column 7: unexpected 't'");
    assertError("\"abc", "unterminated string");
    assertError("01", "line 1, column 2: unexpected '1' after the value");
    assertError("", "unexpected end of input");
    assertError("[".repeat(1000), "nested deeper than 256 levels");
    assertError("\"\\x\"", "unknown escape");
  }

  @Test
  void writtenTextReadsBackAndIsStable() throws Exception {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("name", "a \"quoted\"\tname\u0001");
    doc.put("n", 42L);
    doc.put("ok", true);
    doc.put("none", null);
    doc.put("list", List.of("x", Map.of("k", 1)));
    doc.put("empty", Map.of());
    String text = JsonWriter.write(doc);
    assertEquals(text, JsonWriter.write(doc));
    JsonValue.Obj back = (JsonValue.Obj) JsonReader.parse(text);
    assertEquals("a \"quoted\"\tname\u0001", ((JsonValue.Str) back.fields().get("name")).text());
    assertTrue(back.fields().get("none") instanceof JsonValue.Null);
    JsonValue.Arr list = (JsonValue.Arr) back.fields().get("list");
    assertEquals(2, list.items().size());
  }

  private static void assertError(String text, String expected) {
    JsonException e = assertThrows(JsonException.class, () -> JsonReader.parse(text));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
