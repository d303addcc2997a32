package dev.rig.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How the user can type the rig command from another directory, for the "Next:" lines rig prints.
 * The {@code ./rig} script exports its own absolute path as {@code RIG_LAUNCHER}; a bare {@code
 * rig} is right only when PATH leads to that same script, since a fresh checkout is not on PATH.
 */
record Launcher(String command, Optional<String> pathHint) {
  static Launcher fromEnvironment() {
    return of(System.getenv());
  }

  static Launcher of(Map<String, String> env) {
    String script = env.get("RIG_LAUNCHER");
    if (script == null || script.isBlank()) {
      // Run from a jar or a test: nothing says where the launcher is.
      return new Launcher("rig", Optional.empty());
    }
    Path launcher = Path.of(script);
    if (onPath(env.getOrDefault("PATH", ""), launcher)) {
      return new Launcher("rig", Optional.empty());
    }
    return new Launcher(
        launcher.toString(),
        Optional.of(
            "to type just `rig`, put it on PATH: mkdir -p ~/.local/bin && ln -sf "
                + launcher
                + " ~/.local/bin/rig"));
  }

  private static boolean onPath(String path, Path launcher) {
    for (String dir : path.split(Pattern.quote(":"))) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, "rig");
      try {
        if (Files.isExecutable(candidate) && candidate.toRealPath().equals(launcher.toRealPath())) {
          return true;
        }
      } catch (IOException e) {
        // A dangling or unreadable entry leads nowhere.
      }
    }
    return false;
  }
}
