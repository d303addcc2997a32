package dev.rig.build.vm.run;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * What the operator asked of one run: the SSH port (a free loopback port when absent), the guest's
 * settings, the PCI devices to pass through and whether to bind them to vfio-pci, and how long a
 * guest gets to power off before the VM is ended.
 */
public record LaunchOptions(
    OptionalInt sshPort,
    GuestConfig guest,
    List<PciAddress> gpus,
    boolean bind,
    String tapDevice,
    Duration stopTimeout) {
  public LaunchOptions {
    gpus = List.copyOf(gpus);
  }
}
