package dev.rig.init.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replacing files such as /etc/shadow: the temp copy is never readable by others. */
class AtomicFilesTest {
  @Test
  void theTempCopyIsPrivateFromTheMomentItExists(@TempDir Path dir) throws Exception {
    Path tmp = AtomicFiles.writePrivate(dir.resolve("shadow"), "root:$6$hash:1::::::\n");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp)));
    assertEquals("root:$6$hash:1::::::\n", Files.readString(tmp));
  }

  @Test
  void anExistingFileKeepsItsModeAndANewOneGetsTheGivenMode(@TempDir Path dir) throws Exception {
    Path shadow = Files.writeString(dir.resolve("shadow"), "old\n");
    Files.setPosixFilePermissions(shadow, PosixFilePermissions.fromString("rw-r-----"));
    AtomicFiles.replace(shadow, "new\n", PosixFilePermissions.fromString("rw-rw-rw-"));
    assertEquals("new\n", Files.readString(shadow));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(shadow)));
    Path fresh = dir.resolve("fresh");
    AtomicFiles.replace(fresh, "x\n", PosixFilePermissions.fromString("rw-r-----"));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
    assertFalse(Files.exists(dir.resolve(".shadow.rig-tmp")));
  }
}
