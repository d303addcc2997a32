package dev.rig.init.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.init.config.LogOptions;
import dev.rig.init.config.RestartSpec;
import dev.rig.init.config.ServiceSpec;
import dev.rig.init.report.Event;
import dev.rig.init.report.OutputSink;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-service log files: the same lines as stdout (unprefixed), rotated by size. */
class LogFileTest {
  @Test
  void pumpWritesStdoutAndTheFileAndRotatesKeepingN(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("log/svc.log");
    RotatingLog log = new RotatingLog(file, 20, 2, e -> {}, "svc");
    StringBuilder input = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      input.append("line-").append(i).append('\n'); // 7 bytes each: 2 lines per 20-byte file
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new LinePump(
            new ByteArrayInputStream(input.toString().getBytes(StandardCharsets.UTF_8)),
            new OutputSink(out),
            "svc",
            true,
            log)
        .run();
    log.close();
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("[svc] line-0\n[svc] line-1\n"));
    assertEquals("line-8\nline-9\n", Files.readString(file));
    assertEquals("line-6\nline-7\n", Files.readString(dir.resolve("log/svc.log.1")));
    assertEquals("line-4\nline-5\n", Files.readString(dir.resolve("log/svc.log.2")));
    assertFalse(Files.exists(dir.resolve("log/svc.log.3")), "only keep=2 rotated files");
  }

  @Test
  void aServiceWritesStdoutAndStderrToItsFileUnderTheLogDir(@TempDir Path dir) throws Exception {
    List<Event> events = new CopyOnWriteArrayList<>();
    ServiceSpec spec =
        new ServiceSpec(
            List.of("sh", "-c", "echo hello; echo oops >&2"),
            null,
            null,
            RestartSpec.DEFAULT,
            null,
            null,
            null,
            null,
            null,
            new LogOptions(false, true, null, null),
            null);
    Supervisor s =
        new Supervisor(
            Map.of("hello", spec),
            dir.resolve("config"),
            new OutputSink(new ByteArrayOutputStream()),
            events::add,
            new StatusFile(dir.resolve("status.json")),
            dir.resolve("var/log/rig"));
    s.start();
    long deadline = System.currentTimeMillis() + 10_000;
    while (!s.status("hello").state().equals(ServiceState.STOPPED.text())
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    s.stopAll();
    assertEquals("hello\noops\n", Files.readString(dir.resolve("var/log/rig/hello.log")));
  }

  @Test
  void anUnwritableFileIsReportedOnceAndStdoutGoesOn(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("blocker"), "a file where the log dir should be");
    List<Event> events = new CopyOnWriteArrayList<>();
    RotatingLog log = new RotatingLog(dir.resolve("blocker/x.log"), 1024, 1, events::add, "x");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new LinePump(
            new ByteArrayInputStream("a\nb\n".getBytes()), new OutputSink(out), "x", false, log)
        .run();
    assertEquals("a\nb\n", out.toString(StandardCharsets.UTF_8));
    assertEquals(1, events.size(), events.toString());
    assertTrue(events.get(0).text().endsWith("logging to stdout only"), events.toString());
  }

  @Test
  void aLogThatFailedToWriteIsReopenedLaterInsteadOfStoppingForGood(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("svc.log");
    Files.createDirectory(file); // a directory where the file should be: every open fails
    List<Event> events = new CopyOnWriteArrayList<>();
    RotatingLog log = new RotatingLog(file, 1024, 1, events::add, "svc", Duration.ofMillis(50));
    log.line("lost".getBytes(StandardCharsets.UTF_8), 0, 4);
    Files.delete(file); // the disk has room again
    Thread.sleep(100);
    log.line("kept".getBytes(StandardCharsets.UTF_8), 0, 4);
    log.close();
    assertEquals("kept\n", Files.readString(file));
    assertEquals(2, events.size(), events.toString());
    assertTrue(events.get(1).text().contains("again"), events.toString());
  }

  @Test
  void logFilesAreNotWorldReadable(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("svc.log");
    RotatingLog log = new RotatingLog(file, 8, 1, e -> {}, "svc");
    for (String line : List.of("first", "second")) { // the second rotates: a new file
      log.line(line.getBytes(StandardCharsets.UTF_8), 0, line.length());
    }
    log.close();
    assertEquals("second\n", Files.readString(file));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(
        "rw-r-----",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("svc.log.1"))));
  }
}
