package dev.rig.build.vm.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * QEMU's command line for a rig VM. Without PCI devices it uses the {@code microvm} machine
 * (virtio-mmio, no firmware to run, the fastest boot); passing GPUs through needs PCI, so then
 * {@code q35}. The network is user-mode with {@code restrict=on}: the guest reaches nothing
 * outside, and only SSH is forwarded, from 127.0.0.1. The root disk is opened with {@code
 * snapshot=on}: the built disk is never changed by a run, as a container's image is not; the config
 * disk with the guest's settings is the second, read-only drive. The serial console is on stdio and
 * a QMP socket lets rig ask the guest to power off.
 */
final class QemuCommand {
  private QemuCommand() {}

  static List<String> argv(Path qemu, boolean kvm, VmArtifacts vm, LaunchSettings settings) {
    VmDescriptor descriptor = vm.descriptor();
    boolean pci = !settings.gpus().isEmpty();
    String bus = pci ? "pci" : "device";
    List<String> argv = new ArrayList<>();
    argv.add(qemu.toString());
    argv.addAll(List.of("-M", pci ? "q35" : "microvm"));
    // Without KVM, one host thread runs every vCPU: under multi-threaded TCG an x86 guest that
    // patches its own kernel text on a running SMP guest (jump labels, static calls: int3 first,
    // then the new bytes) could execute the stale int3 on another vCPU and oops (seen in
    // sched_clock_cpu during boot, on a loaded host, with tsc=reliable already set). One vCPU
    // instead of two showed no boot-time difference (docs/vm.md), so this costs nothing measurable.
    argv.addAll(List.of("-accel", kvm ? "kvm" : "tcg,thread=single"));
    if (kvm) {
      argv.addAll(List.of("-cpu", KvmProbe.CPU));
    }
    argv.addAll(List.of("-smp", Integer.toString(descriptor.vcpus())));
    argv.addAll(List.of("-m", descriptor.memoryMiB() + "M"));
    argv.addAll(List.of("-nodefaults", "-no-user-config", "-display", "none", "-no-reboot"));
    // On microvm the uncompressed ELF kernel boots through its PVH entry point: no real-mode setup
    // and no self-decompression, which under TCG took about 2 s before the kernel's first line
    // (measured in docs/vm.md). q35 with passed-through GPUs keeps the bzImage path of a PC.
    argv.addAll(List.of("-kernel", (pci ? vm.bzImage() : vm.vmlinux()).toString()));
    argv.addAll(List.of("-initrd", vm.initrd().toString()));
    argv.addAll(List.of("-append", BootArguments.of(Hypervisor.QEMU, descriptor, kvm)));
    argv.addAll(
        List.of(
            "-drive",
            "id=root,file=" + vm.rootfs() + ",format=raw,if=none,snapshot=on",
            "-device",
            "virtio-blk-" + bus + ",drive=root",
            "-drive",
            "id=config,file=" + settings.configDisk() + ",format=raw,if=none,readonly=on",
            "-device",
            "virtio-blk-" + bus + ",drive=config"));
    argv.addAll(
        List.of(
            "-netdev",
            "user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:" + settings.sshPort() + "-:22",
            "-device",
            "virtio-net-" + bus + ",netdev=net0"));
    // The host's random numbers for the guest's pool: with a virtio RNG, sshd's host key was made
    // about 1 s sooner under TCG and both services were ready 1.5 to 2 s sooner (docs/vm.md).
    argv.addAll(
        List.of(
            "-object",
            "rng-random,id=rng0,filename=/dev/urandom",
            "-device",
            "virtio-rng-" + bus + ",rng=rng0"));
    for (PciAddress gpu : settings.gpus()) {
      argv.addAll(List.of("-device", "vfio-pci,host=" + gpu));
    }
    argv.addAll(List.of("-serial", "stdio"));
    argv.addAll(List.of("-qmp", "unix:" + settings.controlSocket() + ",server=on,wait=off"));
    return List.copyOf(argv);
  }
}
