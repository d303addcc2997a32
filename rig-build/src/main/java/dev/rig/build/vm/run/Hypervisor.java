package dev.rig.build.vm.run;

/** The virtual machine monitors {@code rig vm run} can drive, by the program each one is. */
public enum Hypervisor {
  FIRECRACKER("firecracker", "Firecracker"),
  CLOUD_HYPERVISOR("cloud-hypervisor", "cloud-hypervisor"),
  QEMU("qemu-system-x86_64", "QEMU");

  private final String program;
  private final String label;

  Hypervisor(String program, String label) {
    this.program = program;
    this.label = label;
  }

  /** The executable's name on PATH. */
  public String program() {
    return program;
  }

  /** The name an operator knows it by. */
  public String label() {
    return label;
  }

  /** Only QEMU can run without KVM (by emulating the CPU) and forward a loopback port. */
  public boolean needsKvm() {
    return this != QEMU;
  }

  /** Firecracker has no VFIO: it cannot pass a PCI device through. */
  public boolean passesPciDevices() {
    return this != FIRECRACKER;
  }
}
