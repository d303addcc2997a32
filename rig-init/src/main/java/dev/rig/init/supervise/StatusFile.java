package dev.rig.init.supervise;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * status.json: what {@code rig-init status} and health checks read. Written to a temp name and
 * renamed, so a reader never sees half a file.
 */
public final class StatusFile {
  /** Where it lives relative to the filesystem root. */
  public static final String RELATIVE = "run/rig/status.json";

  /**
   * Made on first write only: {@code rig-init status} reads with jackson-core's streaming parser,
   * so it does not load and set up data binding (a third of its start-up time).
   */
  private static final class Writer {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

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
    Writer.JSON.writeValue(tmp.toFile(), doc);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public Document read() throws IOException {
    long pid = 0;
    String state = null;
    List<ServiceStatus> rows = new ArrayList<>();
    try (JsonParser p = new JsonFactory().createParser(file.toFile())) {
      expect(p.nextToken(), JsonToken.START_OBJECT);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "pid" -> pid = value.isNumeric() ? p.getLongValue() : 0;
          case "state" -> state = p.getValueAsString();
          case "services" -> {
            if (value == JsonToken.START_ARRAY) {
              while (p.nextToken() == JsonToken.START_OBJECT) {
                rows.add(row(p));
              }
            } else {
              p.skipChildren();
            }
          }
          default -> p.skipChildren();
        }
      }
    }
    return new Document(pid, String.valueOf(state), rows);
  }

  /** One service object; the parser is on its START_OBJECT and is left on its END_OBJECT. */
  private static ServiceStatus row(JsonParser p) throws IOException {
    String name = null;
    String state = null;
    Long pid = null;
    int restarts = 0;
    boolean ready = false;
    Integer lastExit = null;
    String message = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      boolean isNull = value == JsonToken.VALUE_NULL;
      switch (field) {
        case "name" -> name = isNull ? null : p.getValueAsString();
        case "state" -> state = isNull ? null : p.getValueAsString();
        case "pid" -> pid = isNull ? null : p.getLongValue();
        case "restarts" -> restarts = isNull ? 0 : p.getIntValue();
        case "ready" -> ready = value == JsonToken.VALUE_TRUE;
        case "lastExit" -> lastExit = isNull ? null : p.getIntValue();
        case "message" -> message = isNull ? null : p.getValueAsString();
        default -> p.skipChildren();
      }
    }
    return new ServiceStatus(name, state, pid, restarts, ready, lastExit, message);
  }

  private static void expect(JsonToken actual, JsonToken expected) throws IOException {
    if (actual != expected) {
      throw new IOException("expected " + expected + " at the start, found " + actual);
    }
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
