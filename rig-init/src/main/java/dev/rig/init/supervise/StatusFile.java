package dev.rig.init.supervise;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * status.json: what {@code rig-init status} and health checks read. Written to a temp name and
 * renamed, so a reader never sees half a file.
 */
public final class StatusFile {
  /** Where it lives relative to the filesystem root. */
  public static final String RELATIVE = "run/rig/status.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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
    JSON.writeValue(tmp.toFile(), doc);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public Document read() throws IOException {
    Map<String, Object> raw = JSON.readValue(file.toFile(), new TypeReference<>() {});
    List<ServiceStatus> rows = new ArrayList<>();
    Object services = raw.get("services");
    if (services instanceof List<?> list) {
      for (Object o : list) {
        rows.add(JSON.convertValue(o, ServiceStatus.class));
      }
    }
    Number pid = (Number) raw.getOrDefault("pid", 0);
    return new Document(pid.longValue(), String.valueOf(raw.get("state")), rows);
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
