package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rig vm run}'s command line: --dry-run prints the full hypervisor command with the GPUs as
 * vfio-pci devices and writes the three configurations; the preflight's checks are printed as an
 * operator reads them; NAME and --dir are one or the other.
 */
class VmRunCommandTest {
  @TempDir Path temp;

  private Path vmDir() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("out/vm/box"));
    for (String name : List.of("vmlinux", "bzImage", "initrd.img", "rootfs.ext4")) {
      Files.writeString(dir.resolve(name), name);
    }
    Files.writeString(
        dir.resolve("vm.json"),
        "{\"image\": \"box\", \"vcpus\": 4, \"memoryMiB\": 2048, \"kernelCmdline\":"
            + " \"console=ttyS0 root=/dev/vda rw\", \"rootDevice\": \"/dev/vda\","
            + " \"gpu\": {\"vfioBind\": false}}");
    return dir;
  }

  @Test
  void dryRunPrintsTheCommandWithVfioDevicesAndWritesTheConfigurations() throws Exception {
    Path dir = vmDir();
    RigRun run =
        RigRun.of(
            List.of(
                "vm",
                "run",
                "--dir",
                dir.toString(),
                "--gpu",
                "65:00.0",
                "--gpu",
                "0000:66:00.0",
                "--ssh-port",
                "2299",
                "--dry-run"));
    assertEquals(0, run.exitCode(), run.describe());
    String command = run.stdout().strip();
    assertTrue(command.contains(" -device vfio-pci,host=0000:65:00.0"), run.describe());
    assertTrue(command.contains(" -device vfio-pci,host=0000:66:00.0"), run.describe());
    assertTrue(command.contains("hostfwd=tcp:127.0.0.1:2299-:22"), run.describe());
    assertTrue(command.contains(" -smp 4 -m 2048M "), run.describe());
    // This host has no such device: the check says so, with how to find the address.
    assertTrue(
        run.stderr().contains("box: FAIL device 0000:65:00.0: not found in"), run.describe());
    assertTrue(run.stderr().contains("box: booting with "), run.describe());
    for (String file :
        List.of("firecracker.json", "cloud-hypervisor.sh", "qemu.sh", "config.img")) {
      assertTrue(Files.isRegularFile(dir.resolve(file)), file);
      assertTrue(run.stderr().contains("box: wrote " + dir.resolve(file)), run.describe());
    }
  }

  @Test
  void envOptionsAreCheckedAndTheirValuesNeverPrinted() throws Exception {
    Path dir = vmDir();
    RigRun ok =
        RigRun.of(
            List.of(
                "vm",
                "run",
                "--dir",
                dir.toString(),
                "--env",
                "ROOT_PASSWORD=topsecret-9931",
                "-e",
                "GREETING=hi",
                "--dry-run"));
    assertEquals(0, ok.exitCode(), ok.describe());
    assertFalse(ok.describe().contains("topsecret-9931"), ok.describe());
    assertTrue(ok.stdout().contains("rig.config=/dev/vdb"), ok.describe());
    assertTrue(ok.stdout().contains(",readonly=on"), ok.describe());
    RigRun badName =
        RigRun.of(List.of("vm", "run", "--dir", dir.toString(), "--env", "1X=y", "--dry-run"));
    assertEquals(2, badName.exitCode(), badName.describe());
    assertTrue(badName.stderr().contains("--env 1X: not a variable name"), badName.describe());
    RigRun unset =
        RigRun.of(
            List.of(
                "vm", "run", "--dir", dir.toString(), "--env", "RIG_TEST_UNSET_42", "--dry-run"));
    assertEquals(2, unset.exitCode(), unset.describe());
    assertTrue(
        unset.stderr().contains("--env RIG_TEST_UNSET_42: not set in rig's environment"),
        unset.describe());
  }

  @Test
  void nameAndDirAreOneOrTheOther() throws Exception {
    RigRun neither = RigRun.of(List.of("vm", "run"));
    assertEquals(2, neither.exitCode(), neither.describe());
    assertTrue(neither.stderr().contains("give either NAME or --dir DIR"), neither.describe());
    RigRun missing = RigRun.of(List.of("vm", "run", "--dir", temp.resolve("nope").toString()));
    assertEquals(1, missing.exitCode(), missing.describe());
    assertTrue(missing.stderr().contains("is not a directory"), missing.describe());
    RigRun badGpu =
        RigRun.of(List.of("vm", "run", "--dir", vmDir().toString(), "--gpu", "gpu0", "--dry-run"));
    assertEquals(1, badGpu.exitCode(), badGpu.describe());
    assertTrue(badGpu.stderr().contains("--gpu gpu0 is not a PCI address"), badGpu.describe());
  }
}
