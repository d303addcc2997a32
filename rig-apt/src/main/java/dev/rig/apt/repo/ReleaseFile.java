package dev.rig.apt.repo;

import dev.rig.apt.control.ControlFileException;
import dev.rig.apt.control.ControlParser;
import dev.rig.apt.control.Stanza;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The (already signature-checked) text of a Release / InRelease file.
 *
 * @param date when the archive made this Release ({@code Date})
 * @param validUntil after when the Release must not be trusted ({@code Valid-Until}); absent when
 *     the archive sets no limit, as apt allows
 * @param files SHA256 entries by path relative to the Release file's directory
 */
public record ReleaseFile(
    Optional<String> suite,
    Optional<String> codename,
    List<String> architectures,
    List<String> components,
    boolean acquireByHash,
    Optional<Instant> date,
    Optional<Instant> validUntil,
    Map<String, FileEntry> files) {

  /** One line of the SHA256 list: the digest and size that a downloaded index must match. */
  public record FileEntry(String path, String sha256, long size) {}

  public ReleaseFile {
    architectures = List.copyOf(architectures);
    components = List.copyOf(components);
    files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
  }

  /** Parses Release text; only the SHA256 list is read, since MD5 and SHA1 prove nothing. */
  public static ReleaseFile parse(String source, String text) {
    List<Stanza> stanzas = ControlParser.parse(source, text);
    if (stanzas.size() != 1) {
      throw new ControlFileException(
          source + ": expected one stanza in a Release file, found " + stanzas.size());
    }
    Stanza s = stanzas.get(0);
    Map<String, FileEntry> files = new LinkedHashMap<>();
    for (String line : s.get("SHA256").orElse("").split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.strip().split("\\s+");
      // A size beyond 18 digits would overflow a long; no index is that large.
      if (parts.length != 3
          || !parts[0].matches("[0-9a-fA-F]{64}")
          || !parts[1].matches("[0-9]{1,18}")) {
        throw new ControlFileException(source + ": bad SHA256 line '" + line.strip() + "'");
      }
      files.put(
          parts[2], new FileEntry(parts[2], parts[0].toLowerCase(), Long.parseLong(parts[1])));
    }
    return new ReleaseFile(
        s.get("Suite").map(String::strip),
        s.get("Codename").map(String::strip),
        new ArrayList<>(s.words("Architectures")),
        new ArrayList<>(s.words("Components")),
        s.get("Acquire-By-Hash").map(v -> v.strip().equalsIgnoreCase("yes")).orElse(false),
        s.get("Date").map(v -> instant(source, "Date", v)),
        s.get("Valid-Until").map(v -> instant(source, "Valid-Until", v)),
        files);
  }

  /**
   * An RFC 2822 date as archives write it ({@code Sat, 13 Jan 2024 09:28:45 UTC}); Java's RFC 1123
   * parser knows "GMT" and numeric offsets but not the "UTC" that Debian's tools write.
   */
  private static Instant instant(String source, String field, String value) {
    String text = value.strip().replaceFirst("\\s+(UTC|Z)$", " GMT");
    try {
      return ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new ControlFileException(
          source
              + ": "
              + field
              + " '"
              + value.strip()
              + "' is not a date like 'Sat, 13 Jan 2024 09:28:45 UTC'",
          e);
    }
  }

  public Optional<FileEntry> entry(String path) {
    return Optional.ofNullable(files.get(path));
  }
}
