package dev.rig.build.vm.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KVM probe against the real QEMU and /dev/kvm. On these machines /dev/kvm opens and a VM is
 * created but nested guests never run 64-bit code (TESTING.md): the probe must say "does not work"
 * within a few seconds, and the choice fall back to QEMU with TCG. On a host where KVM works, set
 * RIG_TEST_KVM_WORKS=1 and the test expects the opposite.
 */
class KvmProbeTest {
  @TempDir Path temp;

  private static Path qemu() {
    Optional<Path> qemu =
        Executables.fromEnvironment(System.getenv()).find(Hypervisor.QEMU.program());
    assertTrue(
        qemu.isPresent(),
        "qemu-system-x86_64 is missing: apt-get install qemu-system-x86 (scripts/setup)");
    return qemu.get();
  }

  @Test
  void kvmIsProbedForRealAndTheChoiceFallsBackToTcg() throws IOException {
    boolean kvmWorks = "1".equals(System.getenv("RIG_TEST_KVM_WORKS"));
    long start = System.nanoTime();
    KvmVerdict verdict = KvmProbe.standard().probe(Optional.of(qemu()));
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals(kvmWorks, verdict.works(), verdict.reason());
    assertTrue(millis < 5000, "the probe took " + millis + " ms");
    HypervisorChoice choice =
        HypervisorChoice.choose(
            Executables.fromEnvironment(System.getenv()), false, KvmProbe.standard()::probe);
    if (!kvmWorks) {
      assertEquals(Hypervisor.QEMU, choice.hypervisor(), choice.summary());
      assertFalse(choice.kvm());
      assertTrue(choice.summary().startsWith("QEMU without KVM (TCG"), choice.summary());
      assertTrue(choice.reasons().get(0).startsWith("KVM does not work: "), choice.summary());
    }
  }

  @Test
  void theProbeImageReachesLongModeWhenTheCpuIsEmulated() throws Exception {
    KvmVerdict verdict =
        KvmProbe.standard().run(qemu(), List.of("-accel", "tcg"), System.nanoTime());
    assertTrue(verdict.works(), verdict.reason());
  }

  @Test
  void noDeviceNodeIsAnsweredWithoutStartingQemu() {
    KvmVerdict verdict =
        new KvmProbe(temp, Duration.ofSeconds(3)).probe(Optional.of(Path.of("/nonexistent/qemu")));
    assertFalse(verdict.works());
    assertTrue(
        verdict.reason().startsWith(temp.resolve("kvm") + " does not exist"), verdict.reason());
  }

  /** The bytes in KvmProbeImage are kvm-probe.S assembled (binutils, which gcc brings). */
  @Test
  void theImageIsItsAssemblySource() throws Exception {
    Path source = temp.resolve("kvm-probe.S");
    try (var in = KvmProbeImage.class.getResourceAsStream("kvm-probe.S")) {
      Files.write(source, in.readAllBytes());
    }
    run(List.of("as", "--32", "-o", temp.resolve("probe.o").toString(), source.toString()));
    run(
        List.of(
            "objcopy",
            "-O",
            "binary",
            temp.resolve("probe.o").toString(),
            temp.resolve("probe.bin").toString()));
    assertArrayEquals(Files.readAllBytes(temp.resolve("probe.bin")), KvmProbeImage.bytes());
  }

  private static void run(List<String> argv) throws Exception {
    Process process = new ProcessBuilder(argv).inheritIO().start();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), argv.toString());
    assertEquals(0, process.exitValue(), argv.toString());
  }
}
