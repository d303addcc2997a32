package dev.rig.build.python;

import dev.rig.spec.PythonSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The requirements of an image's venv from every source the spec names: its {@code requirements}, a
 * requirements.txt and a pyproject.toml's {@code [project].dependencies}, in that order.
 */
final class Requirements {
  private Requirements() {}

  static List<String> of(PythonSpec python) throws IOException {
    List<String> all = new ArrayList<>(python.requirements());
    if (python.requirementsFile().isPresent()) {
      all.addAll(requirementsTxt(python.requirementsFile().get()));
    }
    if (python.pyproject().isPresent()) {
      all.addAll(pyprojectDependencies(python.pyproject().get()));
    }
    return List.copyOf(all);
  }

  /** Requirement lines; comments, blank lines and continuation backslashes dropped. */
  static List<String> requirementsTxt(Path file) throws IOException {
    List<String> out = new ArrayList<>();
    String text = Files.readString(file, StandardCharsets.UTF_8).replace("\\\n", " ");
    int number = 0;
    for (String raw : text.lines().toList()) {
      number++;
      String line = raw.replaceAll("(^|\\s)#.*$", "").strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("-")) {
        throw new PythonException(
            file
                + ":"
                + number
                + ": the option '"
                + line.split("\\s+")[0]
                + "' is not supported in a requirements file; set indexes with python.indexUrl"
                + " and python.extraIndexUrls, and give a hashed lock as python.lockFile");
      }
      out.add(line);
    }
    return out;
  }

  /**
   * The strings of {@code dependencies = [...]} in the {@code [project]} table. A small reader for
   * this one array: strings in double or single quotes, comments and trailing commas allowed.
   */
  static List<String> pyprojectDependencies(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String table = "";
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.startsWith("[")) {
        table = line.replaceAll("\\s", "");
        continue;
      }
      if (!table.equals("[project]") || !line.matches("dependencies\\s*=.*")) {
        continue;
      }
      StringBuilder array = new StringBuilder(line.substring(line.indexOf('=') + 1));
      while (!closes(array) && ++i < lines.size()) {
        array.append('\n').append(lines.get(i));
      }
      return strings(file, array.toString());
    }
    return List.of();
  }

  private static boolean closes(CharSequence array) {
    return strings(array.toString()).closed;
  }

  private record Parsed(List<String> values, boolean closed) {}

  private static List<String> strings(Path file, String array) throws PythonException {
    Parsed parsed = strings(array);
    if (!parsed.closed) {
      throw new PythonException(
          file + ": [project].dependencies is not a closed array of strings; fix the TOML");
    }
    return parsed.values;
  }

  private static Parsed strings(String array) {
    List<String> values = new ArrayList<>();
    int i = array.indexOf('[');
    if (i < 0) {
      return new Parsed(values, false);
    }
    for (i++; i < array.length(); i++) {
      char c = array.charAt(i);
      if (c == ']') {
        return new Parsed(values, true);
      }
      if (c == '#') {
        while (i < array.length() && array.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '"' || c == '\'') {
        int end = array.indexOf(c, i + 1);
        if (end < 0) {
          return new Parsed(values, false);
        }
        values.add(array.substring(i + 1, end).strip());
        i = end;
      }
    }
    return new Parsed(values, false);
  }
}
