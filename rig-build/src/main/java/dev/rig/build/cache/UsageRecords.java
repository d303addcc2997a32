package dev.rig.build.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rig.oci.digest.Digest;
import dev.rig.oci.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The usage records of a cache, {@code CACHE/usage/KEY.json}, one per image of a project (the key
 * hashes the spec's path and the image's name), each rewritten whole (temp name, then rename) when
 * that image is built: one small file per image and build, never a touch per cached file.
 */
public final class UsageRecords {
  static final String DIR = "usage";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;

  private UsageRecords(Path dir) {
    this.dir = dir;
  }

  public static UsageRecords in(Path cacheDir) {
    return new UsageRecords(cacheDir.toAbsolutePath().normalize().resolve(DIR));
  }

  public void write(UsageRecord record) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("reference", record.reference());
    root.put("project", record.project().toString());
    root.put("digest", record.digest());
    root.put("built", record.built().toString());
    ArrayNode entries = root.putArray("entries");
    record.entries().stream().sorted().forEach(entries::add);
    AtomicFiles.write(file(record), JSON.writeValueAsBytes(root));
  }

  /** Every readable record, most recently built first (an unreadable one is left out). */
  public List<UsageRecord> readAll() throws IOException {
    List<UsageRecord> records = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return records;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
      for (Path file : files) {
        read(file).ifPresent(records::add);
      }
    }
    records.sort(Comparator.comparing(UsageRecord::built).reversed());
    return records;
  }

  public void delete(UsageRecord record) throws IOException {
    Files.deleteIfExists(file(record));
  }

  Path dir() {
    return dir;
  }

  private Path file(UsageRecord record) {
    String key = record.project() + "\n" + record.reference();
    return dir.resolve(Digest.of(key.getBytes(StandardCharsets.UTF_8)).hex() + ".json");
  }

  private static Optional<UsageRecord> read(Path file) throws IOException {
    try {
      JsonNode root = JSON.readTree(Files.readAllBytes(file));
      Set<String> entries = new LinkedHashSet<>();
      root.path("entries").forEach(entry -> entries.add(entry.asText()));
      return Optional.of(
          new UsageRecord(
              root.path("reference").asText(),
              Path.of(root.path("project").asText()),
              root.path("digest").asText(),
              Instant.parse(root.path("built").asText()),
              entries));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | DateTimeParseException e) {
      // A damaged record protects nothing; the next build of its image writes it again.
      return Optional.empty();
    }
  }
}
