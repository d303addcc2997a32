package dev.rig.build.vm.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hypervisor is chosen from a fake PATH and a given KVM verdict, with the reasons said. */
class HypervisorChoiceTest {
  @TempDir Path temp;

  private static final Function<Optional<Path>, KvmVerdict> WORKS =
      qemu -> KvmVerdict.works("probe reached 64-bit mode", Duration.ZERO);
  private static final Function<Optional<Path>, KvmVerdict> BROKEN =
      qemu -> KvmVerdict.fails("the vCPU reset on entering 64-bit mode", Duration.ZERO);

  private Executables path(String... programs) throws IOException {
    Path bin =
        Files.createDirectories(
            temp.resolve("bin" + programs.length + String.join("", programs).hashCode()));
    for (String program : programs) {
      Path file = bin.resolve(program);
      Files.writeString(file, "#!/bin/sh\nexit 0\n");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    // a non-executable file of the same name earlier on PATH is not a program
    Path decoy = Files.createDirectories(temp.resolve("decoy"));
    Files.writeString(decoy.resolve("firecracker"), "not executable");
    return new Executables(List.of(decoy, bin));
  }

  @Test
  void firecrackerWhenInstalledAndKvmWorks() throws IOException {
    HypervisorChoice choice =
        HypervisorChoice.choose(
            path("firecracker", "cloud-hypervisor", "qemu-system-x86_64"), false, WORKS);
    assertEquals(Hypervisor.FIRECRACKER, choice.hypervisor());
    assertTrue(choice.kvm());
    assertEquals("KVM works: probe reached 64-bit mode", choice.reasons().get(0));
  }

  @Test
  void gpusSkipFirecrackerWhichHasNoVfio() throws IOException {
    HypervisorChoice choice =
        HypervisorChoice.choose(
            path("firecracker", "cloud-hypervisor", "qemu-system-x86_64"), true, WORKS);
    assertEquals(Hypervisor.CLOUD_HYPERVISOR, choice.hypervisor());
    assertTrue(choice.summary().contains("has no VFIO"), choice.summary());
    assertEquals(
        Hypervisor.QEMU,
        HypervisorChoice.choose(path("firecracker", "qemu-system-x86_64"), true, WORKS)
            .hypervisor());
  }

  @Test
  void brokenKvmFallsBackToQemuTcgSayingWhy() throws IOException {
    HypervisorChoice choice =
        HypervisorChoice.choose(
            path("firecracker", "cloud-hypervisor", "qemu-system-x86_64"), false, BROKEN);
    assertEquals(Hypervisor.QEMU, choice.hypervisor());
    assertFalse(choice.kvm());
    assertEquals(
        List.of(
            "KVM does not work: the vCPU reset on entering 64-bit mode",
            "Firecracker and cloud-hypervisor need KVM, so QEMU emulates the CPU instead"),
        choice.reasons());
    assertTrue(choice.summary().startsWith("QEMU without KVM (TCG"), choice.summary());
  }

  @Test
  void qemuWithKvmWhenItIsTheOnlyOne() throws IOException {
    HypervisorChoice choice = HypervisorChoice.choose(path("qemu-system-x86_64"), false, WORKS);
    assertEquals(Hypervisor.QEMU, choice.hypervisor());
    assertTrue(choice.kvm());
  }

  @Test
  void noUsableHypervisorIsAnErrorThatSaysWhatToInstall() throws IOException {
    IOException none =
        assertThrows(IOException.class, () -> HypervisorChoice.choose(path(), false, WORKS));
    assertTrue(none.getMessage().contains("apt-get install qemu-system-x86"), none.getMessage());
    IOException noKvm =
        assertThrows(
            IOException.class, () -> HypervisorChoice.choose(path("firecracker"), false, BROKEN));
    assertTrue(noKvm.getMessage().contains("need it; install QEMU"), noKvm.getMessage());
  }
}
