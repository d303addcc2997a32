package dev.rig.build.vm.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vm.json as the build writes it is read; a folder lacking files or fields is refused, located. */
class VmArtifactsTest {
  @TempDir Path temp;

  @Test
  void readsTheContractsVmJson() throws IOException {
    VmArtifacts vm = VmDirs.make(temp);
    assertEquals(
        new VmDescriptor(
            "demo", 2, 512, "console=ttyS0 root=/dev/vda rw panic=-1 quiet", "/dev/vda", false),
        vm.descriptor());
    assertEquals(temp.resolve("demo/vmlinux").toAbsolutePath(), vm.vmlinux());
  }

  @Test
  void missingFilesAreNamed() throws IOException {
    VmArtifacts vm = VmDirs.make(temp);
    Files.delete(vm.rootfs());
    Files.delete(vm.vmlinux());
    IOException e = assertThrows(IOException.class, () -> VmArtifacts.open(vm.dir()));
    assertTrue(e.getMessage().contains("lacks vmlinux, rootfs.ext4"), e.getMessage());
    assertTrue(e.getMessage().contains("rig build --out vm:DIR"), e.getMessage());
  }

  @Test
  void aBadFieldIsNamedWithTheFile() throws IOException {
    VmArtifacts vm = VmDirs.make(temp);
    Files.writeString(
        vm.dir().resolve("vm.json"), VmDirs.VM_JSON.replace("\"vcpus\": 2", "\"vcpus\": \"two\""));
    IOException e = assertThrows(IOException.class, () -> VmArtifacts.open(vm.dir()));
    assertTrue(
        e.getMessage().startsWith(vm.dir().resolve("vm.json") + ": field 'vcpus'"), e.getMessage());
    Files.writeString(
        vm.dir().resolve("vm.json"), VmDirs.VM_JSON.replace("\"vcpus\": 2", "\"vcpus\": 0"));
    e = assertThrows(IOException.class, () -> VmArtifacts.open(vm.dir()));
    assertTrue(e.getMessage().contains("vcpus must be at least 1"), e.getMessage());
  }
}
