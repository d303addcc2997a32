package dev.rig.init.json;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A parsed JSON value with the place it starts at, so that a reader of runtime.json can say where a
 * wrong value is. rig-init reads two small files it (or the builder) wrote; a tree is enough.
 */
public sealed interface JsonValue {
  Place place();

  /** Line and column (1-based) of a value's first character. */
  record Place(int line, int column) {
    @Override
    public String toString() {
      return "line " + line + ", column " + column;
    }
  }

  /** Fields in file order. */
  record Obj(Map<String, JsonValue> fields, Place place) implements JsonValue {
    @Override
    public String kind() {
      return "an object";
    }
  }

  record Arr(List<JsonValue> items, Place place) implements JsonValue {
    @Override
    public String kind() {
      return "an array";
    }
  }

  record Str(String text, Place place) implements JsonValue {
    @Override
    public String kind() {
      return "a string";
    }
  }

  record Num(BigDecimal value, Place place) implements JsonValue {
    @Override
    public String kind() {
      return "a number";
    }
  }

  record Bool(boolean value, Place place) implements JsonValue {
    @Override
    public String kind() {
      return "a boolean";
    }
  }

  record Null(Place place) implements JsonValue {
    @Override
    public String kind() {
      return "null";
    }
  }

  /** What a person calls this kind of value in an error message. */
  String kind();
}
