package dev.rig.build.python;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A user's lock in requirements format, as {@code pip-compile --generate-hashes} and {@code uv
 * export} write it: every requirement pinned with {@code ==} and followed by its {@code
 * --hash=sha256:...} options. Anything less is refused, with the command that writes a full one.
 */
final class HashedRequirements {
  private static final Pattern PIN =
      Pattern.compile(
          "([A-Za-z0-9][A-Za-z0-9._-]*)(\\[[^\\]]*\\])?\\s*===?\\s*([^\\s;]+)\\s*(;.*)?");
  private static final Pattern HASH = Pattern.compile("--hash[=\\s]sha256:([0-9a-fA-F]{64})");

  /**
   * One pinned requirement.
   *
   * @param name the name as written
   * @param version the exact version
   * @param hashes the allowed SHA-256s, lower case (one per file the lock allows)
   * @param marker the PEP 508 marker after ';', empty when none
   */
  record Pinned(String name, String version, List<String> hashes, String marker) {
    Pinned {
      hashes = List.copyOf(hashes);
    }

    /** The PEP 503 normalised name, as index pages are named. */
    String normalized() {
      return name.replaceAll("[-_.]+", "-").toLowerCase(Locale.ROOT);
    }
  }

  private HashedRequirements() {}

  static List<Pinned> read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    List<Pinned> pinned = new ArrayList<>();
    // Join continuation lines first, remembering where each requirement starts for messages.
    List<String> logical = new ArrayList<>();
    List<Integer> starts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int number = 0;
    int start = 1;
    for (String raw : text.lines().toList()) {
      number++;
      if (current.length() == 0) {
        start = number;
      }
      String line = raw.replaceAll("(^|\\s)#.*$", "");
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      current.append(line);
      logical.add(current.toString().strip());
      starts.add(start);
      current.setLength(0);
    }
    for (int i = 0; i < logical.size(); i++) {
      String line = logical.get(i);
      if (line.isEmpty()
          || line.startsWith("--index-url")
          || line.startsWith("--extra-index-url")
          || line.startsWith("-i ")) {
        continue;
      }
      String where = file + ":" + starts.get(i);
      int option = line.indexOf(" --");
      String requirement = option < 0 ? line : line.substring(0, option).strip();
      Matcher pin = PIN.matcher(requirement);
      if (!pin.matches()) {
        throw new PythonException(
            where
                + ": '"
                + requirement
                + "' is not pinned with ==; a lockFile must pin every requirement with its"
                + " hashes: write it with `pip-compile --generate-hashes` or `uv export"
                + " --format requirements-txt`");
      }
      List<String> hashes = new ArrayList<>();
      Matcher hash = HASH.matcher(line);
      while (hash.find()) {
        hashes.add(hash.group(1).toLowerCase(Locale.ROOT));
      }
      if (hashes.isEmpty()) {
        throw new PythonException(
            where
                + ": "
                + pin.group(1)
                + "=="
                + pin.group(3)
                + " has no --hash=sha256:...; rig installs only wheels it can verify: write the"
                + " lock with `pip-compile --generate-hashes` or `uv export --format"
                + " requirements-txt`, or list the requirement in python.requirements to let rig"
                + " lock it");
      }
      String marker = pin.group(4) == null ? "" : pin.group(4).substring(1).strip();
      pinned.add(new Pinned(pin.group(1), pin.group(3), hashes, marker));
    }
    if (pinned.isEmpty()) {
      throw new PythonException(file + ": the lockFile pins no requirement");
    }
    return List.copyOf(pinned);
  }
}
