package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
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
      String rest = row.group(2).trim();
      // `./rig cache gc --max-size SIZE`: the flags after a subcommand are the subcommand's.
      String first = rest.split("\\s+", 2)[0];
      if (command.getSubcommands().containsKey(first)) {
        command = command.getSubcommands().get(first);
        rest = rest.substring(first.length());
      }
      Matcher flag = FLAG.matcher(rest);
      while (flag.find()) {
        if (command.getCommandSpec().findOption(flag.group(1)) == null) {
          missing.add("rig " + name + " " + flag.group(1));
        }
      }
    }
    assertTrue(rows.size() >= 8, "README command table not found: " + rows);
    assertTrue(missing.isEmpty(), "README names flags rig does not have: " + missing);
  }

  /**
   * The README once said the GPU example was "pinned in examples/gpu/rig.lock" while that file is
   * git-ignored and written by the first build: it may say the lock pins the example only if the
   * lock is in the repository.
   */
  @Test
  void theReadmeSaysWhatHappensToTheExamplesLock() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    boolean tracked =
        Files.exists(Path.of("..", "examples", "gpu", "rig.lock"))
            && new ProcessBuilder("git", "ls-files", "--error-unmatch", "examples/gpu/rig.lock")
                    .directory(Path.of("..").toFile())
                    .redirectErrorStream(true)
                    .start()
                    .waitFor()
                == 0;
    if (!tracked) {
      assertFalse(
          readme.replaceAll("\\s+", " ").contains("pinned in `examples/gpu/rig.lock`"),
          "README says the example is pinned by a lock the repository does not hold");
      assertTrue(
          readme.contains("git-ignored"), "README should say the example's lock is not kept");
    }
  }
}
