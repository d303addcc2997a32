package dev.rig.build.vm.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * cloud-hypervisor's command line for a rig VM: it boots the uncompressed {@code vmlinux} directly,
 * attaches to a TAP device (it has no user-mode network: the operator creates the TAP and decides
 * what it reaches, see docs/vm.md), and passes GPUs through VFIO by their sysfs paths. The second
 * disk is the read-only config disk with the guest's settings.
 */
final class CloudHypervisorCommand {
  private CloudHypervisorCommand() {}

  static List<String> argv(Path program, VmArtifacts vm, LaunchSettings settings) {
    VmDescriptor descriptor = vm.descriptor();
    List<String> argv = new ArrayList<>();
    argv.add(program.toString());
    argv.addAll(List.of("--kernel", vm.vmlinux().toString()));
    argv.addAll(List.of("--initramfs", vm.initrd().toString()));
    argv.addAll(List.of("--cmdline", BootArguments.of(Hypervisor.CLOUD_HYPERVISOR, descriptor)));
    argv.addAll(
        List.of("--disk", "path=" + vm.rootfs(), "path=" + settings.configDisk() + ",readonly=on"));
    argv.addAll(List.of("--cpus", "boot=" + descriptor.vcpus()));
    argv.addAll(List.of("--memory", "size=" + descriptor.memoryMiB() + "M"));
    argv.addAll(List.of("--net", "tap=" + settings.tapDevice()));
    for (PciAddress gpu : settings.gpus()) {
      argv.addAll(List.of("--device", "path=/sys/bus/pci/devices/" + gpu + "/"));
    }
    argv.addAll(List.of("--serial", "tty", "--console", "off"));
    argv.addAll(List.of("--api-socket", "path=" + settings.controlSocket()));
    return List.copyOf(argv);
  }
}
