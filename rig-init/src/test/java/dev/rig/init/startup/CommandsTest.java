package dev.rig.init.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The helper runner: its timeout covers the whole run, output included. */
class CommandsTest {
  @Test
  void aHelperThatNeverEndsIsKilledAtItsTimeout() {
    long t0 = System.nanoTime();
    Commands.Output out = Commands.run(List.of("sh", "-c", "echo started; sleep 30"), null, 1);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(124, out.code(), out.text());
    assertTrue(ms < 5_000, "took " + ms + " ms; the timeout must cover reading the output");
  }

  @Test
  void aBackgroundChildHoldingTheOutputDoesNotHoldTheRunner() {
    long t0 = System.nanoTime();
    Commands.Output out = Commands.run(List.of("sh", "-c", "sleep 8 & echo done"), null, 5);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(0, out.code(), out.text());
    assertEquals("done", out.text().strip());
    assertTrue(ms < 4_000, "took " + ms + " ms");
  }

  @Test
  void largeOutputOnBothStreamsIsReadWithoutDeadlock() {
    Commands.Output out =
        Commands.run(
            List.of(
                "sh",
                "-c",
                "head -c 300000 /dev/zero | tr '\\0' e >&2; head -c 300000 /dev/zero | tr '\\0' o"),
            null,
            10);
    assertEquals(0, out.code(), out.firstLine());
    assertEquals(600_000, out.text().length());
  }

  @Test
  void stdinReachesTheHelper() {
    Commands.Output out = Commands.run(List.of("cat"), "hello\n", 5);
    assertEquals(new Commands.Output(0, "hello\n"), out);
  }
}
