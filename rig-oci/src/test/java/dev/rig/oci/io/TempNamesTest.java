package dev.rig.oci.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep of temp entries that interrupted runs left in the cache. */
class TempNamesTest {
  @TempDir Path dir;

  @Test
  void entriesOfEndedProcessesGoAndThoseOfRunningOnesStay() throws Exception {
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    Path debris = Files.createDirectories(dir.resolve(".tmp-" + ended.pid() + "-root/usr/bin"));
    Files.write(debris.resolve("big"), new byte[4096]);
    Path ours = Files.createDirectories(dir.resolve(TempNames.prefix() + "root"));
    Path oldUnnamed = Files.createDirectories(dir.resolve(".tmp-legacy"));
    Files.setLastModifiedTime(oldUnnamed, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
    Path newUnnamed = Files.createDirectories(dir.resolve(".tmp-recent"));
    Path blob = Files.writeString(dir.resolve("abc123"), "a blob, not debris");

    TempNames.Swept swept = TempNames.sweep(dir);

    assertEquals(2, swept.entries(), swept.toString());
    assertEquals(4096, swept.bytes());
    assertFalse(Files.exists(dir.resolve(".tmp-" + ended.pid() + "-root")));
    assertFalse(Files.exists(oldUnnamed));
    assertTrue(Files.isDirectory(ours), "a running build's entry is never touched");
    assertTrue(Files.isDirectory(newUnnamed));
    assertTrue(Files.isRegularFile(blob));
  }

  @Test
  void namesCarryThePid() {
    assertEquals(
        Optional.of(ProcessHandle.current().pid()), TempNames.pid(TempNames.prefix() + "x"));
    assertEquals(Optional.empty(), TempNames.pid(".tmp-rig.lock-123.part"));
    assertEquals(Optional.empty(), TempNames.pid(".tmp-abc-1"));
  }
}
