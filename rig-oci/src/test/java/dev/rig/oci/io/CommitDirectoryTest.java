package dev.rig.oci.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two builds racing to put the same content-addressed directory in place. */
class CommitDirectoryTest {
  @TempDir Path dir;

  @Test
  void theFirstRenameWinsAndTheSecondIsToldSo() throws IOException {
    Path target = dir.resolve("abc");
    Path first = Files.createDirectory(dir.resolve(".tmp-1"));
    Files.writeString(first.resolve("f"), "first");
    Path second = Files.createDirectory(dir.resolve(".tmp-2"));
    Files.writeString(second.resolve("f"), "second");

    assertTrue(AtomicFiles.commitDirectory(first, target));
    assertFalse(AtomicFiles.commitDirectory(second, target), "the target is already there");
    assertEquals("first", Files.readString(target.resolve("f")));
    assertTrue(Files.exists(second), "the loser's directory is left for its owner to delete");
  }

  @Test
  void otherFailuresStillThrow() {
    assertThrows(
        IOException.class,
        () -> AtomicFiles.commitDirectory(dir.resolve("missing"), dir.resolve("target")));
  }
}
