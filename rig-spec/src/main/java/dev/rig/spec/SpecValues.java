package dev.rig.spec;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pkl.core.PNull;
import org.pkl.core.PObject;

/**
 * An evaluated spec as plain Java values: objects and mappings become maps with string keys (in
 * Pkl's order), listings lists, Pkl's null Java's null; strings, {@code Long}, {@code Double} and
 * {@code Boolean} stay. {@link ProjectReader} reads this tree whether it came from Pkl just now or
 * from the {@link SpecCache}, so a cached spec becomes the very same {@link Project}.
 *
 * <p>A value of any other kind (a Duration, a Set, a non-string key) is kept as Pkl gave it and
 * makes the tree {@linkplain #writable() unwritable}: such a spec is simply not cached.
 */
final class SpecValues {
  private static final int NULL = 0;
  private static final int FALSE = 1;
  private static final int TRUE = 2;
  private static final int LONG = 3;
  private static final int DOUBLE = 4;
  private static final int STRING = 5;
  private static final int LIST = 6;
  private static final int MAP = 7;

  private final Map<String, Object> root;
  private final boolean writable;

  private SpecValues(Map<String, Object> root, boolean writable) {
    this.root = root;
    this.writable = writable;
  }

  /** The properties of an evaluated module (or any Pkl object). */
  static SpecValues of(PObject module) {
    boolean[] writable = {true};
    Map<String, Object> root = object(module.getProperties(), writable);
    return new SpecValues(root, writable[0]);
  }

  /** The module's properties by name. */
  Map<String, Object> root() {
    return root;
  }

  /** Whether every value is of a kind {@link #write} can store. */
  boolean writable() {
    return writable;
  }

  private static Object plain(Object value, boolean[] writable) {
    if (value instanceof PNull || value == null) {
      return null;
    }
    if (value instanceof PObject object) {
      return object(object.getProperties(), writable);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!(entry.getKey() instanceof String key)) {
          writable[0] = false;
          return value;
        }
        copy.put(key, plain(entry.getValue(), writable));
      }
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      for (Object item : list) {
        copy.add(plain(item, writable));
      }
      return Collections.unmodifiableList(copy);
    }
    if (!(value instanceof String
        || value instanceof Long
        || value instanceof Double
        || value instanceof Boolean)) {
      writable[0] = false;
    }
    return value;
  }

  private static Map<String, Object> object(Map<String, Object> properties, boolean[] writable) {
    Map<String, Object> copy = new LinkedHashMap<>();
    properties.forEach((name, value) -> copy.put(name, plain(value, writable)));
    return Collections.unmodifiableMap(copy);
  }

  /** Writes the tree; only for a {@link #writable()} one. */
  void write(DataOutputStream out) throws IOException {
    if (!writable) {
      throw new IllegalStateException("the spec holds values the cache cannot store");
    }
    writeValue(out, root);
  }

  /** Reads a tree {@link #write} wrote; empty when the bytes are not such a tree. */
  static Optional<SpecValues> read(DataInputStream in) throws IOException {
    Object value = readValue(in);
    if (!(value instanceof Map<?, ?>)) {
      return Optional.empty();
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> root = (Map<String, Object>) value;
    return Optional.of(new SpecValues(root, true));
  }

  private static void writeValue(DataOutputStream out, Object value) throws IOException {
    if (value == null) {
      out.writeByte(NULL);
    } else if (value instanceof Boolean b) {
      out.writeByte(b ? TRUE : FALSE);
    } else if (value instanceof Long l) {
      out.writeByte(LONG);
      out.writeLong(l);
    } else if (value instanceof Double d) {
      // The bits, not a decimal rendering: the value read back is exactly the one Pkl gave.
      out.writeByte(DOUBLE);
      out.writeLong(Double.doubleToRawLongBits(d));
    } else if (value instanceof String s) {
      out.writeByte(STRING);
      writeString(out, s);
    } else if (value instanceof List<?> list) {
      out.writeByte(LIST);
      out.writeInt(list.size());
      for (Object item : list) {
        writeValue(out, item);
      }
    } else if (value instanceof Map<?, ?> map) {
      out.writeByte(MAP);
      out.writeInt(map.size());
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        writeString(out, (String) entry.getKey());
        writeValue(out, entry.getValue());
      }
    } else {
      throw new IllegalStateException("cannot store a " + value.getClass().getName());
    }
  }

  private static Object readValue(DataInputStream in) throws IOException {
    int tag = in.readUnsignedByte();
    switch (tag) {
      case NULL:
        return null;
      case FALSE:
        return Boolean.FALSE;
      case TRUE:
        return Boolean.TRUE;
      case LONG:
        return in.readLong();
      case DOUBLE:
        return Double.longBitsToDouble(in.readLong());
      case STRING:
        return readString(in);
      case LIST:
        {
          int n = count(in);
          List<Object> list = new ArrayList<>(Math.min(n, 1024));
          for (int i = 0; i < n; i++) {
            list.add(readValue(in));
          }
          return Collections.unmodifiableList(list);
        }
      case MAP:
        {
          int n = count(in);
          Map<String, Object> map = new LinkedHashMap<>();
          for (int i = 0; i < n; i++) {
            String key = readString(in);
            map.put(key, readValue(in));
          }
          return Collections.unmodifiableMap(map);
        }
      default:
        throw new IOException("unknown value tag " + tag);
    }
  }

  static void writeString(DataOutputStream out, String s) throws IOException {
    // Length-prefixed UTF-8: writeUTF stops at 64 KiB, and a spec may hold a longer script.
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static String readString(DataInputStream in) throws IOException {
    byte[] bytes = new byte[count(in)];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static int count(DataInputStream in) throws IOException {
    int n = in.readInt();
    // Every element takes at least a byte: a larger count is damage, not a reason to allocate.
    if (n < 0 || n > in.available()) {
      throw new IOException("bad length " + n);
    }
    return n;
  }
}
