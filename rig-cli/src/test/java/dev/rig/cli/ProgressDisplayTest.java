package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.testkit.Exec;
import dev.rig.testkit.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Progress as a person and as a script see it: under a pseudo-terminal ({@code script} gives the
 * command one) a status line is redrawn in place while layers compress; in a log, plain lines and
 * no escape codes; with {@code --json}, per-phase timings.
 */
class ProgressDisplayTest {
  @TempDir Path dir;

  /** A spec whose one big layer takes long enough (a second or so) for the display to tick. */
  private Path spec() throws IOException {
    byte[] noise = new byte[32 << 20];
    new Random(42).nextBytes(noise);
    Files.write(dir.resolve("weights.bin"), noise);
    Path spec = dir.resolve("rig.yaml");
    Files.writeString(
        spec,
        "images:\n"
            + "  progress:\n"
            + "    copyToRoot:\n"
            + "      - { source: weights.bin, target: /models/weights.bin }\n");
    return spec;
  }

  private static List<String> rig(Path cache, String... args) {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.rig.cli.Main"));
    command.add(args[0]);
    command.addAll(List.of("--cache", cache.toString()));
    command.addAll(List.of(args).subList(1, args.length));
    return command;
  }

  @Test
  void aTerminalGetsALiveStatusLine() throws IOException {
    Tools.require("script", "bsdutils");
    Path spec = spec();
    List<String> command =
        rig(
            dir.resolve("cache"),
            "build",
            "-f",
            spec.toString(),
            "--out",
            "oci:" + dir.resolve("o"));
    // script(1) runs the command on a new pseudo-terminal and copies what it writes.
    Exec.Result run =
        Exec.run(
                List.of("script", "-qefc", ShellWords.join(command), "/dev/null"),
                Map.of("TERM", "xterm", "COLUMNS", "120"),
                dir,
                Duration.ofMinutes(2))
            .ok();
    String screen = run.stdout();
    assertTrue(screen.contains("\r\u001b[K"), "no line was redrawn:\n" + screen);
    assertTrue(screen.contains("progress: layers 1/2 50%"), "no status of the layers:\n" + screen);
    assertTrue(screen.contains("progress:latest sha256:"), "no result line:\n" + screen);
  }

  @Test
  void aLogGetsPlainLinesAndJsonGetsPhaseTimings() throws Exception {
    Path spec = spec();
    Exec.Result run =
        Exec.run(
                rig(
                    dir.resolve("cache"),
                    "build",
                    "-f",
                    spec.toString(),
                    "--out",
                    "oci:" + dir.resolve("o"),
                    "--json"),
                Map.of("TERM", "xterm"),
                dir,
                Duration.ofMinutes(2))
            .ok();
    assertFalse(run.stderr().contains("\u001b"), run.describe());
    JsonNode json = new ObjectMapper().readTree(run.stdout());
    Set<String> phases = new HashSet<>();
    for (JsonNode phase : json.path("phases")) {
      phases.add(phase.path("phase").asText());
      assertTrue(phase.path("seconds").asDouble() >= 0, phase.toString());
    }
    assertEquals(Set.of("spec", "layers", "export"), phases, json.toString());
    JsonNode layer = json.path("images").get(0).path("layers").path("own").get(1);
    assertEquals("built", layer.path("origin").asText(), json.toString());

    Exec.Result plain =
        Exec.run(
                rig(
                    dir.resolve("cache"),
                    "build",
                    "-f",
                    spec.toString(),
                    "--out",
                    "oci:" + dir.resolve("o")),
                Map.of("TERM", "xterm"),
                dir,
                Duration.ofMinutes(2))
            .ok();
    assertFalse(plain.stderr().contains("\u001b"), plain.describe());
    assertTrue(plain.stderr().contains("unchanged, 2 layers cached"), plain.describe());
  }

  /**
   * A rebuild that changes nothing says so in one line per image; the line for each layer and for
   * each phase the cache served comes with -v (and --json keeps every layer).
   */
  @Test
  void aWarmRebuildIsOneSummaryLineAndVerboseHasEveryLayer() throws Exception {
    Files.writeString(dir.resolve("a.txt"), "a\n");
    Files.writeString(dir.resolve("b.txt"), "b\n");
    Path spec =
        Files.writeString(
            dir.resolve("rig.yaml"),
            "images:\n  summary:\n    copyToRoot:\n"
                + "      - { source: a.txt, target: /a.txt }\n"
                + "      - { source: b.txt, target: /b.txt }\n");
    String out = "oci:" + dir.resolve("o");
    Exec.Result cold = run(rig(dir.resolve("cache"), "build", "-f", spec.toString(), "--out", out));
    assertTrue(
        cold.stderr()
            .matches("(?s).*summary:latest sha256:[0-9a-f]{64} \\(\\d+ of \\d+ layers built.*"),
        cold.describe());
    Exec.Result warm = run(rig(dir.resolve("cache"), "build", "-f", spec.toString(), "--out", out));
    List<String> lines = warm.stderr().strip().lines().toList();
    String digest = warm.stdout().strip().split(" ")[1];
    assertEquals(
        "summary:latest " + digest + " (unchanged, ",
        lines.get(0).substring(0, ("summary:latest " + digest + " (unchanged, ").length()),
        warm.describe());
    assertTrue(
        lines.get(0).matches(".*\\(unchanged, \\d+ layers cached, [0-9.]+s\\)"), lines.get(0));
    assertFalse(warm.stderr().contains("layer 1/"), warm.describe());
    assertFalse(warm.stderr().contains("spec:"), warm.describe());
    assertEquals(1, lines.size(), warm.describe());

    // The warm rebuild is served by the build memo: nothing planned or layered, even with -v.
    Exec.Result served =
        run(rig(dir.resolve("cache"), "build", "-f", spec.toString(), "--out", out, "-v"));
    assertTrue(served.stderr().contains(" " + digest + " (the output holds it"), served.describe());
    assertFalse(served.stderr().contains("layer 1/"), served.describe());
    assertEquals("summary:latest " + digest, served.stdout().strip(), served.describe());

    // Into another output the memo has nothing to serve: every layer comes from the cache.
    Exec.Result verbose =
        run(
            rig(
                dir.resolve("cache"),
                "build",
                "-f",
                spec.toString(),
                "--out",
                "oci:" + dir.resolve("o2"),
                "-v"));
    assertTrue(verbose.stderr().contains("summary: layer 1/"), verbose.describe());
    assertTrue(verbose.stderr().contains("(cached, "), verbose.describe());
    assertTrue(verbose.stderr().contains("spec: 1 image(s)"), verbose.describe());
    assertTrue(verbose.stderr().contains("wrote oci:"), verbose.describe());
  }

  private Exec.Result run(List<String> command) {
    return Exec.run(command, Map.of("TERM", "xterm"), dir, Duration.ofMinutes(2)).ok();
  }
}
