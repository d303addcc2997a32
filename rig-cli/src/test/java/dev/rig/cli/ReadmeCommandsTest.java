package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The README's command table names only flags the commands have: a README that lists a flag rig
 * refuses (it once listed {@code rig options --markdown}) is the first thing a new user trips on.
 */
class ReadmeCommandsTest {
  private static final Pattern ROW = Pattern.compile("^\\| `\\./rig (\\S+)([^`]*)` \\|");
  private static final Pattern FLAG = Pattern.compile("(?<![\\w-])(--?[a-zA-Z][\\w-]*)");

  @Test
  void everyFlagInTheCommandTableExists() throws Exception {
    List<String> rows = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("..", "README.md"))) {
      Matcher row = ROW.matcher(line);
      if (!row.find()) {
        continue;
      }
      String name = row.group(1);
      rows.add(name);
      CommandLine command = Main.commandLine(name).getSubcommands().get(name);
      if (command == null) {
        missing.add("rig " + name + " (no such command)");
        continue;
      }
      Matcher flag = FLAG.matcher(row.group(2));
      while (flag.find()) {
        if (command.getCommandSpec().findOption(flag.group(1)) == null) {
          missing.add("rig " + name + " " + flag.group(1));
        }
      }
    }
    assertTrue(rows.size() >= 8, "README command table not found: " + rows);
    assertTrue(missing.isEmpty(), "README names flags rig does not have: " + missing);
  }
}
