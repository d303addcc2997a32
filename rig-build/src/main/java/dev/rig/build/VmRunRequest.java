package dev.rig.build;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A {@code rig vm run}: the VM build's folder ({@code DIR/<image>/} of {@code rig build --out
 * vm:DIR}), the loopback port to forward SSH from (a free one when absent), the public key file
 * root may log in with, the variables the guest's entrypoint gets (ROOT_PASSWORD among them; they
 * travel on the run's config disk, never on the kernel command line), the PCI addresses of GPUs to
 * pass through and whether to bind them to vfio-pci, the TAP device for hypervisors without
 * user-mode networking, how long the guest gets to power off when stopped, and whether to only
 * print the command.
 */
public record VmRunRequest(
    Path dir,
    OptionalInt sshPort,
    Optional<Path> sshKey,
    Map<String, String> env,
    List<String> gpus,
    boolean bind,
    String tapDevice,
    Duration stopTimeout,
    boolean dryRun) {
  public VmRunRequest {
    env = Map.copyOf(env);
    gpus = List.copyOf(gpus);
  }

  /** Never the variables' values: ROOT_PASSWORD must not reach a log through this. */
  @Override
  public String toString() {
    return "VmRunRequest[" + dir + ", variables " + env.keySet() + "]";
  }
}
