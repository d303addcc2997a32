package dev.rig.init.supervise;

import dev.rig.init.json.JsonException;
import dev.rig.init.json.JsonReader;
import dev.rig.init.json.JsonValue;
import dev.rig.init.json.JsonWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * status.json: what {@code rig-init status} and health checks read. Written to a temp name and
 * renamed, so a reader never sees half a file.
 */
public final class StatusFile {
  /** Where it lives relative to the filesystem root. */
  public static final String RELATIVE = "run/rig/status.json";

  private final Path file;

  public StatusFile(Path file) {
    this.file = file;
  }

  public static StatusFile under(Path root) {
    return new StatusFile(root.resolve(RELATIVE));
  }

  public Path path() {
    return file;
  }

  /** The document: rig-init's own pid, whether it is stopping, and one row per service. */
  public record Document(long pid, String state, List<ServiceStatus> services) {}

  public synchronized void write(Document doc) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, JsonWriter.write(tree(doc)));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public Document read() throws IOException {
    JsonValue tree;
    try {
      tree = JsonReader.parse(Files.readString(file));
    } catch (JsonException e) {
      throw new IOException(e.getMessage(), e);
    }
    if (!(tree instanceof JsonValue.Obj doc)) {
      throw new IOException("expected an object at the start, found " + tree.kind());
    }
    List<ServiceStatus> rows = new ArrayList<>();
    if (doc.fields().get("services") instanceof JsonValue.Arr services) {
      for (JsonValue item : services.items()) {
        if (item instanceof JsonValue.Obj row) {
          rows.add(row(row.fields()));
        }
      }
    }
    Long pid = number(doc.fields().get("pid"));
    return new Document(
        pid == null ? 0 : pid, String.valueOf(text(doc.fields().get("state"))), rows);
  }

  private static ServiceStatus row(Map<String, JsonValue> f) {
    Long pid = number(f.get("pid"));
    Long restarts = number(f.get("restarts"));
    Long lastExit = number(f.get("lastExit"));
    return new ServiceStatus(
        text(f.get("name")),
        text(f.get("state")),
        pid,
        restarts == null ? 0 : restarts.intValue(),
        f.get("ready") instanceof JsonValue.Bool b && b.value(),
        lastExit == null ? null : lastExit.intValue(),
        text(f.get("message")));
  }

  private static String text(JsonValue v) {
    return v instanceof JsonValue.Str s ? s.text() : null;
  }

  private static Long number(JsonValue v) {
    return v instanceof JsonValue.Num n ? n.value().longValue() : null;
  }

  private static Map<String, Object> tree(Document doc) {
    List<Object> services = new ArrayList<>();
    for (ServiceStatus s : doc.services()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", s.name());
      row.put("state", s.state());
      row.put("pid", s.pid());
      row.put("restarts", s.restarts());
      row.put("ready", s.ready());
      row.put("lastExit", s.lastExit());
      row.put("message", s.message());
      services.add(row);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("pid", doc.pid());
    out.put("state", doc.state());
    out.put("services", services);
    return out;
  }

  /** The document as a fixed-width table for people. */
  public static String table(Document doc) {
    StringBuilder b = new StringBuilder();
    b.append("rig-init pid ").append(doc.pid()).append(", ").append(doc.state()).append('\n');
    String fmt = "%-16s %-9s %-8s %-8s %-6s %-5s %s%n";
    b.append(String.format(fmt, "SERVICE", "STATE", "PID", "RESTARTS", "READY", "EXIT", "NOTE"));
    for (ServiceStatus s : doc.services()) {
      b.append(
          String.format(
              fmt,
              s.name(),
              s.state(),
              s.pid() == null ? "-" : s.pid().toString(),
              s.restarts(),
              s.ready() ? "yes" : "no",
              s.lastExit() == null ? "-" : s.lastExit().toString(),
              s.message() == null ? "" : s.message()));
    }
    return b.toString();
  }
}
