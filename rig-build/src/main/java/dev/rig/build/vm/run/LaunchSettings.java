package dev.rig.build.vm.run;

import java.nio.file.Path;
import java.util.List;

/**
 * How one run is wired to the host: the loopback port SSH is forwarded from (QEMU), the control
 * socket rig stops the VM through, the TAP device Firecracker and cloud-hypervisor attach to (they
 * have no user-mode network), the config disk carrying the guest's settings ({@link ConfigDisk})
 * and the PCI devices passed through.
 */
public record LaunchSettings(
    int sshPort, Path controlSocket, String tapDevice, Path configDisk, List<PciAddress> gpus) {
  /** The TAP device's name when the operator names none. */
  public static final String DEFAULT_TAP = "rig-tap0";

  public LaunchSettings {
    if (sshPort < 1 || sshPort > 65535) {
      throw new IllegalArgumentException("--ssh-port must be 1..65535, not " + sshPort);
    }
    gpus = List.copyOf(gpus);
  }
}
