package dev.rig.python.wheel;

import dev.rig.python.requirement.ProjectName;
import dev.rig.python.version.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A wheel's file name as PEP 427 spells it: {@code name-version[-build]-python-abi-platform.whl},
 * where each tag part may hold several values joined by dots ({@code py2.py3}).
 *
 * @param name the project name, PEP 503 normalized
 * @param version the version in the name
 * @param build the optional build tag: a number and a suffix, later builds preferred
 * @param tags every tag the compressed tag set expands to
 */
public record WheelFilename(
    String filename, String name, Version version, Optional<String> build, List<Tag> tags) {
  public WheelFilename {
    tags = List.copyOf(tags);
  }

  /** Whether {@code filename} names a wheel at all (and not an sdist or an egg). */
  public static boolean isWheel(String filename) {
    return filename.toLowerCase(Locale.ROOT).endsWith(".whl");
  }

  /** Parses a wheel file name, or fails saying which part is wrong. */
  public static WheelFilename parse(String filename) {
    if (!isWheel(filename)) {
      throw new IllegalArgumentException(filename + " is not a wheel file name (no .whl)");
    }
    String[] parts = filename.substring(0, filename.length() - 4).split("-");
    if (parts.length != 5 && parts.length != 6) {
      throw new IllegalArgumentException(
          filename + " is not a PEP 427 wheel name (name-version[-build]-python-abi-platform.whl)");
    }
    Version version =
        Version.tryParse(parts[1])
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        filename + ": '" + parts[1] + "' is not a PEP 440 version"));
    Optional<String> build = Optional.empty();
    if (parts.length == 6) {
      if (parts[2].isEmpty() || !Character.isDigit(parts[2].charAt(0))) {
        throw new IllegalArgumentException(
            filename + ": the build tag '" + parts[2] + "' must start with a digit");
      }
      build = Optional.of(parts[2]);
    }
    int t = parts.length - 3;
    List<Tag> tags = new ArrayList<>();
    for (String py : parts[t].split("\\.")) {
      for (String abi : parts[t + 1].split("\\.")) {
        for (String platform : parts[t + 2].split("\\.")) {
          tags.add(
              new Tag(
                  py.toLowerCase(Locale.ROOT),
                  abi.toLowerCase(Locale.ROOT),
                  platform.toLowerCase(Locale.ROOT)));
        }
      }
    }
    return new WheelFilename(filename, ProjectName.normalize(parts[0]), version, build, tags);
  }

  /** The build tag's leading number (0 without one), for ordering builds of one version. */
  public long buildNumber() {
    if (build.isEmpty()) {
      return -1;
    }
    String digits = build.get().replaceAll("^([0-9]+).*", "$1");
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
