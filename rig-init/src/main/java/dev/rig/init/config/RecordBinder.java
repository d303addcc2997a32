package dev.rig.init.config;

import dev.rig.init.json.JsonException;
import dev.rig.init.json.JsonValue;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns runtime.json's tree into the config records and back, by their components: the records are
 * the one definition of the file's shape, so a new component needs no reader or writer code. Absent
 * and null fields become null components (the records fill in defaults); unknown fields are errors.
 */
final class RecordBinder {
  private RecordBinder() {}

  static <T> T read(JsonValue value, Class<T> type) throws JsonException {
    return type.cast(bind(value, type, ""));
  }

  /** The record as maps and lists for {@link dev.rig.init.json.JsonWriter}; nulls are left out. */
  static Object write(Object value) {
    if (value instanceof Duration d) {
      return Durations.format(d);
    }
    if (value instanceof RestartPolicy p) {
      return p.text();
    }
    if (value instanceof Record r) {
      Map<String, Object> fields = new LinkedHashMap<>();
      for (RecordComponent c : r.getClass().getRecordComponents()) {
        Object v = get(c, r);
        if (v != null) {
          fields.put(c.getName(), write(v));
        }
      }
      return fields;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(RecordBinder::write).collect(Collectors.toList());
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), write(v)));
      return out;
    }
    return value;
  }

  private static Object bind(JsonValue value, Type type, String path) throws JsonException {
    if (value instanceof JsonValue.Null) {
      return null;
    }
    Class<?> raw =
        type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    if (raw == String.class) {
      return expect(value, JsonValue.Str.class, path, "a string").text();
    }
    if (raw == Boolean.class || raw == boolean.class) {
      return expect(value, JsonValue.Bool.class, path, "true or false").value();
    }
    if (raw == Integer.class || raw == int.class) {
      return integral(value, path, Integer.MIN_VALUE, Integer.MAX_VALUE).intValue();
    }
    if (raw == Long.class || raw == long.class) {
      return integral(value, path, Long.MIN_VALUE, Long.MAX_VALUE);
    }
    if (raw == Duration.class) {
      if (value instanceof JsonValue.Num) {
        return Duration.ofMillis(integral(value, path, 0, Long.MAX_VALUE));
      }
      String text = expect(value, JsonValue.Str.class, path, "a duration").text();
      try {
        return Durations.parse(text);
      } catch (IllegalArgumentException e) {
        throw new JsonException(value.place(), at(path) + e.getMessage());
      }
    }
    if (raw == RestartPolicy.class) {
      String text = expect(value, JsonValue.Str.class, path, "a restart policy").text();
      try {
        return RestartPolicy.of(text);
      } catch (IllegalArgumentException e) {
        throw new JsonException(value.place(), at(path) + e.getMessage());
      }
    }
    if (raw == List.class) {
      Type item = ((ParameterizedType) type).getActualTypeArguments()[0];
      List<JsonValue> items = expect(value, JsonValue.Arr.class, path, "an array").items();
      List<Object> out = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        Object v = bind(items.get(i), item, path + "[" + i + "]");
        if (v == null) {
          throw new JsonException(items.get(i).place(), at(path + "[" + i + "]") + "is null");
        }
        out.add(v);
      }
      return out;
    }
    if (raw == Map.class) {
      Type item = ((ParameterizedType) type).getActualTypeArguments()[1];
      JsonValue.Obj obj = expect(value, JsonValue.Obj.class, path, "an object");
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<String, JsonValue> e : obj.fields().entrySet()) {
        String at = join(path, e.getKey());
        Object v = bind(e.getValue(), item, at);
        if (v == null) {
          throw new JsonException(e.getValue().place(), at(at) + "is null");
        }
        out.put(e.getKey(), v);
      }
      return out;
    }
    if (raw.isRecord()) {
      return record(expect(value, JsonValue.Obj.class, path, "an object"), raw, path);
    }
    throw new IllegalStateException("runtime.json has no form for " + raw.getName());
  }

  private static Object record(JsonValue.Obj obj, Class<?> type, String path) throws JsonException {
    RecordComponent[] components = type.getRecordComponents();
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < components.length; i++) {
      index.put(components[i].getName(), i);
    }
    Object[] args = new Object[components.length];
    for (Map.Entry<String, JsonValue> e : obj.fields().entrySet()) {
      Integer i = index.get(e.getKey());
      if (i == null) {
        throw new JsonException(
            e.getValue().place(),
            at(path) + "unknown field '" + e.getKey() + "'; known fields: " + index.keySet());
      }
      args[i] = bind(e.getValue(), components[i].getGenericType(), join(path, e.getKey()));
    }
    for (int i = 0; i < components.length; i++) {
      Class<?> c = components[i].getType();
      if (args[i] == null && c.isPrimitive()) {
        args[i] = c == boolean.class ? Boolean.FALSE : c == long.class ? (Object) 0L : (Object) 0;
      }
    }
    Class<?>[] types =
        Arrays.stream(components).map(RecordComponent::getType).toArray(Class[]::new);
    try {
      Constructor<?> canonical = type.getDeclaredConstructor(types);
      return canonical.newInstance(args);
    } catch (InvocationTargetException e) {
      throw new JsonException(obj.place(), at(path) + e.getCause().getMessage());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot construct " + type.getName(), e);
    }
  }

  private static Long integral(JsonValue value, String path, long min, long max)
      throws JsonException {
    BigDecimal n = expect(value, JsonValue.Num.class, path, "a whole number").value();
    try {
      long v = n.longValueExact();
      if (v < min || v > max) {
        throw new ArithmeticException();
      }
      return v;
    } catch (ArithmeticException e) {
      throw new JsonException(
          value.place(),
          at(path) + "expected a whole number in " + min + ".." + max + ", got " + n);
    }
  }

  private static <V extends JsonValue> V expect(
      JsonValue value, Class<V> kind, String path, String wanted) throws JsonException {
    if (!kind.isInstance(value)) {
      throw new JsonException(
          value.place(), at(path) + "expected " + wanted + ", got " + value.kind());
    }
    return kind.cast(value);
  }

  private static Object get(RecordComponent c, Record r) {
    try {
      return c.getAccessor().invoke(r);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + c, e);
    }
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static String at(String path) {
    return path.isEmpty() ? "" : path + ": ";
  }
}
