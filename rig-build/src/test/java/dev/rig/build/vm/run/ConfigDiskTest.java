package dev.rig.build.vm.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config disk's bytes are the documented format: a header sector, then the base64 payload from
 * byte 512, in whole sectors; the file is written 0600 through a temp name.
 */
class ConfigDiskTest {
  @TempDir Path temp;

  private static final GuestConfig GUEST =
      new GuestConfig(
          List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGtestkey user@host"),
          Map.of("ROOT_PASSWORD", "pw with spaces"));

  @Test
  void headerSectorThenBase64PayloadInWholeSectors() {
    byte[] disk = ConfigDisk.bytes(GUEST);
    byte[] payload = Base64.getEncoder().encode(GUEST.envFile().getBytes(StandardCharsets.UTF_8));
    String header = "RIGCFG1 " + payload.length + "\n";
    assertEquals(header, new String(disk, 0, header.length(), StandardCharsets.US_ASCII));
    for (int i = header.length(); i < 512; i++) {
      assertEquals(0, disk[i], "header padding at " + i);
    }
    assertArrayEquals(payload, Arrays.copyOfRange(disk, 512, 512 + payload.length));
    assertEquals(0, disk.length % 512);
    assertEquals(512 + ((payload.length + 511) / 512) * 512, disk.length);
    for (int i = 512 + payload.length; i < disk.length; i++) {
      assertEquals(0, disk[i], "payload padding at " + i);
    }
    byte[] empty = ConfigDisk.bytes(GuestConfig.none());
    assertEquals(1024, empty.length);
    assertEquals("RIGCFG1 0\n", new String(empty, 0, 10, StandardCharsets.US_ASCII));
  }

  @Test
  void writtenOwnerOnlyThroughATempName() throws IOException {
    Path file = ConfigDisk.write(temp.resolve("config.img"), GUEST);
    assertArrayEquals(ConfigDisk.bytes(GUEST), Files.readAllBytes(file));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    try (Stream<Path> names = Files.list(temp)) {
      assertEquals(List.of(file), names.toList());
    }
  }
}
