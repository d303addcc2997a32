package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/options.md is generated from the schema; this fails when it is stale. */
class OptionsDocTest {

  @Test
  void docsOptionsMatchesTheSchema() throws IOException {
    RigRun run = RigRun.of(List.of("options")).ok();
    assertTrue(run.stdout().contains("extraEnv"), run.stdout());
    Path doc = Path.of("..", "docs", "options.md");
    String committed = Files.exists(doc) ? Files.readString(doc) : "";
    assertEquals(
        run.stdout(),
        committed,
        "docs/options.md is stale: regenerate it with `./rig options > docs/options.md`");
  }
}
