package dev.rig.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @Test
  void validateReportsOkAndProblems(@TempDir Path dir) throws Exception {
    Path good =
        Files.writeString(dir.resolve("good.json"), "{\"services\":{\"a\":{\"argv\":[\"x\"]}}}");
    Path bad = Files.writeString(dir.resolve("bad.json"), "{\"services\":{\"a\":{\"argv\":[]}}}");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(0, Main.execute(List.of("validate", "--config", good.toString()), o, e));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("ok"));
    assertEquals(1, Main.execute(List.of("validate", "--config", bad.toString()), o, e));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("argv: is empty"));
  }
}
