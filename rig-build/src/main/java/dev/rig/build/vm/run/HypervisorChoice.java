package dev.rig.build.vm.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which hypervisor boots the VM and whether with KVM, with the reasons an operator reads:
 * Firecracker or cloud-hypervisor when installed and KVM really works (both need it);
 * cloud-hypervisor or QEMU when GPUs are passed through (Firecracker has no VFIO); else QEMU, with
 * KVM when the probe says it works, otherwise emulating the CPU (TCG).
 */
public record HypervisorChoice(
    Hypervisor hypervisor, Path executable, boolean kvm, List<String> reasons) {
  public HypervisorChoice {
    reasons = List.copyOf(reasons);
  }

  /** One line: "QEMU without KVM (TCG): reason; reason". */
  public String summary() {
    return hypervisor.label()
        + (kvm ? " with KVM" : " without KVM (TCG, the CPU emulated)")
        + ": "
        + String.join("; ", reasons);
  }

  /**
   * Chooses among the programs {@code path} has.
   *
   * @param passthrough whether PCI devices are passed through
   * @param kvm the KVM probe, given QEMU's path if installed; called at most once
   */
  public static HypervisorChoice choose(
      Executables path, boolean passthrough, Function<Optional<Path>, KvmVerdict> kvm)
      throws IOException {
    Optional<Path> qemu = path.find(Hypervisor.QEMU.program());
    Optional<Path> firecracker = path.find(Hypervisor.FIRECRACKER.program());
    Optional<Path> cloudHypervisor = path.find(Hypervisor.CLOUD_HYPERVISOR.program());
    if (qemu.isEmpty() && firecracker.isEmpty() && cloudHypervisor.isEmpty()) {
      throw new IOException(
          "no hypervisor on PATH: install QEMU (apt-get install qemu-system-x86), Firecracker or"
              + " cloud-hypervisor");
    }
    KvmVerdict verdict = kvm.apply(qemu);
    List<String> reasons = new ArrayList<>();
    reasons.add((verdict.works() ? "KVM works: " : "KVM does not work: ") + verdict.reason());
    if (verdict.works()) {
      if (firecracker.isPresent() && !passthrough) {
        reasons.add("Firecracker is installed (" + firecracker.get() + ")");
        return new HypervisorChoice(Hypervisor.FIRECRACKER, firecracker.get(), true, reasons);
      }
      if (firecracker.isPresent()) {
        reasons.add("Firecracker is installed but has no VFIO, so it cannot pass a GPU through");
      }
      if (cloudHypervisor.isPresent()) {
        reasons.add("cloud-hypervisor is installed (" + cloudHypervisor.get() + ")");
        return new HypervisorChoice(
            Hypervisor.CLOUD_HYPERVISOR, cloudHypervisor.get(), true, reasons);
      }
      if (qemu.isEmpty()) {
        throw new IOException(
            "Firecracker cannot pass PCI devices through and neither cloud-hypervisor nor QEMU is"
                + " installed; install one of them (apt-get install qemu-system-x86)");
      }
      reasons.add("neither Firecracker nor cloud-hypervisor is installed");
      return new HypervisorChoice(Hypervisor.QEMU, qemu.get(), true, reasons);
    }
    if (qemu.isEmpty()) {
      throw new IOException(
          "KVM does not work here ("
              + verdict.reason()
              + ") and Firecracker and cloud-hypervisor need it; install QEMU (apt-get install"
              + " qemu-system-x86), which can emulate the CPU");
    }
    if (firecracker.isPresent() || cloudHypervisor.isPresent()) {
      reasons.add("Firecracker and cloud-hypervisor need KVM, so QEMU emulates the CPU instead");
    }
    return new HypervisorChoice(Hypervisor.QEMU, qemu.get(), false, reasons);
  }
}
