package dev.rig.build.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.build.vm.run.ConfigDisk;
import dev.rig.build.vm.run.GuestConfig;
import dev.rig.testkit.Exec;
import dev.rig.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VM init's reader of the config disk, run by the host's static busybox (the initramfs's own)
 * against a file written by {@link ConfigDisk}: it gets back the exact environment file and prints
 * no setting; a disk that is not a config disk is refused with a message and no file. The init
 * takes the settings from the disk, never from the kernel command line.
 */
class InitScriptConfigTest {
  @TempDir Path temp;

  private static Exec.Result readConfig(Path disk, Path out) throws Exception {
    Path busybox = Tools.require("busybox", "busybox-static");
    // Only busybox's applets on PATH, as in the initramfs.
    Path bin = disk.resolveSibling("bin");
    if (!Files.isDirectory(bin)) {
      Files.createDirectories(bin);
      for (String applet : List.of("dd", "head", "base64")) {
        Files.createSymbolicLink(bin.resolve(applet), busybox);
      }
    }
    return Exec.run(
        List.of(
            busybox.toString(),
            "sh",
            "-c",
            "export PATH="
                + bin
                + "\n"
                + InitScript.readConfigFunction()
                + "\nread_config \"$0\" \"$1\"",
            disk.toString(),
            out.toString()),
        Map.of(),
        null,
        Duration.ofSeconds(20));
  }

  @Test
  void busyboxReadsBackWhatRigWrote() throws Exception {
    GuestConfig guest =
        new GuestConfig(
                List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGtestkey user@host"), Map.of())
            .withVariables(Map.of("ROOT_PASSWORD", "p4ss w0rd's $HOME", "LONG", "x".repeat(3000)));
    Path disk = ConfigDisk.write(temp.resolve("config.img"), guest);
    Path out = temp.resolve("settings.env");
    Exec.Result result = readConfig(disk, out);
    assertEquals(0, result.exitCode(), result.describe());
    assertEquals(guest.envFile(), Files.readString(out));
    assertFalse(result.stdout().contains("p4ss") || result.stderr().contains("p4ss"));
  }

  @Test
  void aDiskThatIsNotAConfigDiskIsRefused() throws Exception {
    Path disk = Files.write(temp.resolve("other.img"), new byte[1024]);
    Path out = temp.resolve("settings.env");
    Exec.Result result = readConfig(disk, out);
    assertEquals(1, result.exitCode(), result.describe());
    assertTrue(result.stdout().contains("is not a rig config disk"), result.describe());
  }

  @Test
  void theInitReadsTheConfigDiskNotTheCommandLine() {
    String init =
        InitScript.of(
            List.of("virtio_blk"), List.of("/usr/bin/tini", "--"), Map.of(), "/", "vm", 0);
    assertTrue(init.contains("rig.config=/dev/*) config=${word#rig.config=}"), init);
    assertTrue(init.contains("read_config \"$config\" /rig-settings.env"), init);
    assertFalse(init.contains("rig.env"), init);
    // The device node is read before /dev moves into the disk (then it is not at /dev/vdb).
    assertTrue(init.indexOf("read_config \"$config\"") < init.indexOf("mount --move /dev"), init);
    assertFalse(init.contains("$r/run/rig-vm.env"), init);
  }
}
