package dev.rig.python.lock;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One wheel pinned for an image: what rig.lock records and what the installer downloads and checks.
 *
 * @param name the project name, PEP 503 normalized ({@code typing-extensions})
 * @param version the version as the index spells it ({@code 2.5.1+cu124})
 * @param filename the wheel's file name, which also carries its tags
 * @param url the absolute URL of the file, never with credentials in it
 * @param size the file's size in bytes
 * @param sha256 the file's SHA-256, lower-case hex
 * @param requiredBy what pulled the wheel in: the user's requirement strings, or the parent
 *     projects ({@code "fastapi 0.115.0"}), sorted
 */
public record LockedWheel(
    String name,
    String version,
    String filename,
    URI url,
    long size,
    String sha256,
    List<String> requiredBy) {
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  public LockedWheel {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(filename, "filename");
    Objects.requireNonNull(url, "url");
    sha256 = sha256.toLowerCase(Locale.ROOT);
    if (!HEX64.matcher(sha256).matches()) {
      throw new IllegalArgumentException(
          filename + ": sha256 must be 64 hex digits, got '" + sha256 + "'");
    }
    if (size < 0) {
      throw new IllegalArgumentException(filename + ": size must not be negative");
    }
    if (url.getUserInfo() != null) {
      throw new IllegalArgumentException(
          filename + ": a locked URL must not carry credentials; give them to the index instead");
    }
    requiredBy = List.copyOf(requiredBy);
  }
}
