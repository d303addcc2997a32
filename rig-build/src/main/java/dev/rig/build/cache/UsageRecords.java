package dev.rig.build.cache;

import dev.rig.oci.digest.Digest;
import dev.rig.oci.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The usage records of a cache, {@code CACHE/usage/KEY}, one per image of a project (the key hashes
 * the spec's path and the image's reference), each rewritten whole (temp name, then rename) when
 * that image is built: one small file per image and build, never a touch per cached file.
 *
 * <p>A record is lines of {@code FIELD VALUE}, after a format line; plain text, so that a warm
 * build writes it without starting a JSON library (about 20 ms in a fresh JVM):
 *
 * <pre>
 * rig-usage/1
 * reference gpu:cuda12.4
 * project /home/me/gpu/rig.pkl
 * digest sha256:…
 * built 2026-12-04T15:33:00Z
 * entry blobs/sha256/…      (one line per entry)
 * </pre>
 */
public final class UsageRecords {
  static final String DIR = "usage";
  private static final String FORMAT = "rig-usage/1";

  private final Path dir;

  private UsageRecords(Path dir) {
    this.dir = dir;
  }

  public static UsageRecords in(Path cacheDir) {
    return new UsageRecords(cacheDir.toAbsolutePath().normalize().resolve(DIR));
  }

  public void write(UsageRecord record) throws IOException {
    StringBuilder text = new StringBuilder(FORMAT).append('\n');
    text.append("reference ").append(record.reference()).append('\n');
    text.append("project ").append(record.project()).append('\n');
    text.append("digest ").append(record.digest()).append('\n');
    text.append("built ").append(record.built()).append('\n');
    for (String entry : record.entries()) {
      text.append("entry ").append(entry).append('\n');
    }
    AtomicFiles.write(file(record), text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Every readable record, most recently built first (an unreadable one is left out). */
  public List<UsageRecord> readAll() throws IOException {
    List<UsageRecord> records = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return records;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.usage")) {
      for (Path file : files) {
        read(file).ifPresent(records::add);
      }
    }
    records.sort(Comparator.comparing(UsageRecord::built).reversed());
    return records;
  }

  /**
   * Marks the record of {@code reference} in {@code project} as used at {@code now}, keeping what
   * it lists, when it is for {@code digest}: a build the memo served used the same entries again.
   */
  public void touch(Path project, String reference, String digest, Instant now) throws IOException {
    Path file = file(new UsageRecord(reference, project, digest, now, Set.of()));
    Optional<UsageRecord> record = read(file);
    if (record.isPresent() && record.get().digest().equals(digest)) {
      UsageRecord old = record.get();
      write(new UsageRecord(old.reference(), old.project(), old.digest(), now, old.entries()));
    }
  }

  public void delete(UsageRecord record) throws IOException {
    Files.deleteIfExists(file(record));
  }

  Path dir() {
    return dir;
  }

  private Path file(UsageRecord record) {
    String key = record.project() + "\n" + record.reference();
    return dir.resolve(Digest.of(key.getBytes(StandardCharsets.UTF_8)).hex() + ".usage");
  }

  private static Optional<UsageRecord> read(Path file) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    // A damaged or foreign record protects nothing; the next build of its image writes it again.
    if (lines.isEmpty() || !lines.get(0).equals(FORMAT)) {
      return Optional.empty();
    }
    Map<String, String> fields = new HashMap<>();
    Set<String> entries = new LinkedHashSet<>();
    for (String line : lines.subList(1, lines.size())) {
      int space = line.indexOf(' ');
      if (space <= 0) {
        return Optional.empty();
      }
      String field = line.substring(0, space);
      String value = line.substring(space + 1);
      if (field.equals("entry")) {
        entries.add(value);
      } else {
        fields.put(field, value);
      }
    }
    if (!fields.keySet().containsAll(List.of("reference", "project", "digest", "built"))) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new UsageRecord(
              fields.get("reference"),
              Path.of(fields.get("project")),
              fields.get("digest"),
              Instant.parse(fields.get("built")),
              entries));
    } catch (DateTimeParseException | InvalidPathException e) {
      return Optional.empty();
    }
  }
}
