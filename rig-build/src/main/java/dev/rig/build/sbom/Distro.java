package dev.rig.build.sbom;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The distribution an image's packages belong to, from its os-release file.
 *
 * @param id os-release {@code ID} ({@code debian}, {@code ubuntu}): the purl namespace
 * @param release {@code VERSION_ID}, or {@code VERSION_CODENAME} for a release without a number
 *     (testing, unstable)
 */
public record Distro(String id, String release) {
  /** What an image without an os-release file gets: Debian, release not known. */
  public static final Distro UNKNOWN_DEBIAN = new Distro("debian", "unknown");

  /** The purl namespace. */
  public String vendor() {
    return id;
  }

  /** The purl {@code distro} qualifier, as {@code debian-13}. */
  public String purlDistro() {
    return id + "-" + release;
  }

  /** Reads os-release text (shell-style {@code KEY=value} lines, values maybe quoted). */
  public static Distro parse(String osRelease) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : osRelease.split("\n")) {
      int equals = line.indexOf('=');
      if (line.startsWith("#") || equals <= 0) {
        continue;
      }
      String value = line.substring(equals + 1).strip();
      if (value.length() >= 2
          && (value.startsWith("\"") || value.startsWith("'"))
          && value.endsWith(value.substring(0, 1))) {
        value = value.substring(1, value.length() - 1);
      }
      fields.put(line.substring(0, equals).strip(), value);
    }
    String id = fields.getOrDefault("ID", "debian").toLowerCase(Locale.ROOT);
    String release = fields.getOrDefault("VERSION_ID", "");
    if (release.isEmpty()) {
      release = fields.getOrDefault("VERSION_CODENAME", "unknown");
    }
    return new Distro(id.isEmpty() ? "debian" : id, release.isEmpty() ? "unknown" : release);
  }
}
