package dev.rig.spec;

import java.util.List;
import java.util.Optional;

/**
 * The schema's {@code vm} options: how an image boots as a microVM.
 *
 * @param kernelPackage the Debian package the guest kernel and its modules come from
 * @param vcpus virtual CPUs
 * @param memoryMiB guest memory in MiB
 * @param diskSizeMiB the root disk's size; empty sizes it to the files plus {@code freeSpaceMiB}
 * @param freeSpaceMiB free space beyond the files when the size is not given
 * @param cmdline words added to the kernel command line
 * @param vfioBind whether {@code rig vm run --gpu} binds devices to vfio-pci itself
 * @param nvidiaDriver whether the root disk gets the NVIDIA kernel module for the guest kernel
 */
public record VmSpec(
    String kernelPackage,
    int vcpus,
    int memoryMiB,
    Optional<Integer> diskSizeMiB,
    int freeSpaceMiB,
    List<String> cmdline,
    boolean vfioBind,
    boolean nvidiaDriver) {
  public VmSpec {
    cmdline = List.copyOf(cmdline);
  }

  /** The schema's defaults. */
  public static final VmSpec DEFAULT =
      new VmSpec(
          "linux-image-cloud-amd64", 2, 1024, Optional.empty(), 256, List.of(), false, false);
}
