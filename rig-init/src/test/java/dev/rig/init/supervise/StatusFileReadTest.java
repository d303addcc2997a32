package dev.rig.init.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * status.json reads back what was written, and {@code rig-init status} reads it without Jackson's
 * data binding (whose set-up was a third of the command's time).
 */
class StatusFileReadTest {
  private static final StatusFile.Document DOC =
      new StatusFile.Document(
          7,
          "running",
          List.of(
              new ServiceStatus("sshd", "running", 42L, 0, true, null, null),
              new ServiceStatus("web", "backoff", null, 3, false, 1, "exit 1, \"again\" in 2s")));

  @Test
  void whatIsWrittenReadsBack(@TempDir Path root) throws Exception {
    StatusFile file = StatusFile.under(root);
    file.write(DOC);
    assertEquals(DOC, file.read());
  }

  @Test
  void statusLoadsNoDataBinding(@TempDir Path root) throws Exception {
    StatusFile.under(root).write(DOC);
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.rig.init.Main",
                "status",
                "--root",
                root.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "rig-init status did not finish");
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("rig-init pid 7, running"), out);
    assertTrue(out.contains("web "), out);
    assertFalse(out.contains("com.fasterxml.jackson.databind."), "status loaded data binding");
  }

  @Test
  void doctorAndValidateLoadNoJackson(@TempDir Path root) throws Exception {
    Path config =
        java.nio.file.Files.writeString(
            root.resolve("runtime.json"),
            "{\"services\": {\"a\": {\"argv\": [\"true\"], \"stopTimeout\": \"2s\"}}}");
    for (String command : List.of("validate", "doctor")) {
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xlog:class+load=info",
                  "-cp",
                  System.getProperty("java.class.path"),
                  "dev.rig.init.Main",
                  command,
                  "--root",
                  root.toString(),
                  "--config",
                  config.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "rig-init " + command + " did not finish");
      assertEquals(0, p.exitValue(), out);
      assertFalse(out.contains("com.fasterxml.jackson"), command + " loaded Jackson");
    }
  }
}
