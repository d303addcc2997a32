package dev.rig.cli;

import java.util.List;
import java.util.stream.Collectors;

/** Words quoted for sh -c, for tests that run a command line through script(1). */
final class ShellWords {
  private ShellWords() {}

  static String join(List<String> words) {
    return words.stream()
        .map(w -> "'" + w.replace("'", "'\\''") + "'")
        .collect(Collectors.joining(" "));
  }
}
