package dev.rig.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Finds the line of a spec that a problem found after evaluation is about (a service's unknown
 * dependency, a package no repository has), for errors in the {@code FILE:LINE} form every other
 * spec mistake has. Evaluated values carry no positions, so the text is searched: each anchor (the
 * image's name, then e.g. the service's name, then the bad value) is looked for as a whole word
 * from the line where the previous one was found. The first anchor found nowhere ends the search at
 * the last line found; 0 means not even the first was found.
 */
public final class SpecLocator {
  private SpecLocator() {}

  public static int line(Path file, List<String> anchors) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    int found = 0;
    int from = 0;
    for (String anchor : anchors) {
      if (anchor == null || anchor.isBlank()) {
        continue;
      }
      Pattern word =
          Pattern.compile("(?<![A-Za-z0-9_.-])" + Pattern.quote(anchor) + "(?![A-Za-z0-9_.-])");
      int at = -1;
      for (int i = from; i < lines.size(); i++) {
        if (word.matcher(lines.get(i)).find()) {
          at = i;
          break;
        }
      }
      if (at < 0) {
        break;
      }
      found = at + 1;
      from = at;
    }
    return found;
  }
}
