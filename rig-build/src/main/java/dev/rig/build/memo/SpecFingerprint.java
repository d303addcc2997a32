package dev.rig.build.memo;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A canonical text of a spec value (an image's {@link dev.rig.spec.ImageSpec} as loaded) and the
 * host paths it names. Walked by reflection over record components, so that an option added to the
 * spec later is part of the text (and its paths are hashed) without anyone remembering to add it
 * here; a value of a type it does not know makes the fingerprint fail, never silently ignore it.
 *
 * @param text every component, named, with lengths before strings so that no two values read alike
 * @param paths the {@link Path}s in the value, in order (copied files, homes, layouts, secrets)
 */
public record SpecFingerprint(String text, List<Path> paths) {
  public SpecFingerprint {
    paths = List.copyOf(paths);
  }

  public static SpecFingerprint of(Object value) {
    StringBuilder text = new StringBuilder();
    List<Path> paths = new ArrayList<>();
    render(value, text, paths);
    return new SpecFingerprint(text.toString(), paths);
  }

  private static void render(Object value, StringBuilder text, List<Path> paths) {
    if (value == null) {
      text.append("null");
    } else if (value instanceof String s) {
      text.append('"').append(s.length()).append(':').append(s).append('"');
    } else if (value instanceof Number || value instanceof Boolean || value instanceof Character) {
      text.append(value.getClass().getSimpleName()).append('(').append(value).append(')');
    } else if (value instanceof Enum<?> e) {
      text.append(e.getDeclaringClass().getSimpleName()).append('.').append(e.name());
    } else if (value instanceof Path path) {
      paths.add(path);
      render(path.toString(), text.append("Path"), paths);
    } else if (value instanceof Optional<?> optional) {
      text.append("Optional[");
      optional.ifPresent(v -> render(v, text, paths));
      text.append(']');
    } else if (value instanceof OptionalInt o) {
      text.append(o);
    } else if (value instanceof OptionalLong o) {
      text.append(o);
    } else if (value instanceof OptionalDouble o) {
      text.append(o);
    } else if (value instanceof Collection<?> items) {
      text.append('[').append(items.size()).append(':');
      for (Object item : items) {
        render(item, text, paths);
        text.append(',');
      }
      text.append(']');
    } else if (value instanceof Map<?, ?> map) {
      text.append('{').append(map.size()).append(':');
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        render(entry.getKey(), text, paths);
        text.append('=');
        render(entry.getValue(), text, paths);
        text.append(',');
      }
      text.append('}');
    } else if (value instanceof Record record) {
      text.append(record.getClass().getName()).append('(');
      for (RecordComponent component : record.getClass().getRecordComponents()) {
        text.append(component.getName()).append('=');
        render(read(component, record), text, paths);
        text.append(',');
      }
      text.append(')');
    } else {
      throw new IllegalArgumentException(
          "the build memo cannot fingerprint a "
              + value.getClass().getName()
              + " in a spec; teach SpecFingerprint its canonical form");
    }
  }

  private static Object read(RecordComponent component, Record record) {
    try {
      component.getAccessor().setAccessible(true);
      return component.getAccessor().invoke(record);
    } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
      throw new IllegalArgumentException(
          "the build memo cannot read "
              + record.getClass().getName()
              + "."
              + component.getName()
              + ": "
              + e,
          e);
    }
  }
}
