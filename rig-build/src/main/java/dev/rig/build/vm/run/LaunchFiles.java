package dev.rig.build.vm.run;

import dev.rig.oci.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The ready-made configurations written next to a VM's artifacts, for booting it by hand with each
 * hypervisor: {@code firecracker.json} (for {@code firecracker --config-file}), {@code
 * cloud-hypervisor.sh} and {@code qemu.sh}, and an empty config disk ({@code config.img}; replace
 * it with one holding keys and variables, see docs/vm-artifacts.md). Paths in them are relative to
 * the folder (the scripts change into it; run Firecracker from it), so the folder can be moved or
 * copied to a GPU host.
 */
public final class LaunchFiles {
  public static final String FIRECRACKER = "firecracker.json";
  public static final String CLOUD_HYPERVISOR = "cloud-hypervisor.sh";
  public static final String QEMU = "qemu.sh";

  /** The port the written QEMU script forwards SSH from; {@code rig vm run} picks a free one. */
  public static final int DEFAULT_SSH_PORT = 2222;

  private LaunchFiles() {}

  /** Writes the three files into {@code vm}'s folder (each to a temp name, then renamed). */
  public static List<Path> write(VmArtifacts vm) throws IOException {
    VmArtifacts relative = new VmArtifacts(Path.of("."), vm.descriptor());
    LaunchSettings settings =
        new LaunchSettings(
            DEFAULT_SSH_PORT,
            Path.of("vm.sock"),
            LaunchSettings.DEFAULT_TAP,
            Path.of(".", ConfigDisk.FILE_NAME),
            List.of());
    // A disk with no settings, so that the scripts boot as written; rig vm run writes its own.
    Path config = ConfigDisk.write(vm.dir().resolve(ConfigDisk.FILE_NAME), GuestConfig.none());
    Path firecracker = vm.dir().resolve(FIRECRACKER);
    AtomicFiles.write(
        firecracker, FirecrackerConfig.text(relative, settings).getBytes(StandardCharsets.UTF_8));
    Path cloudHypervisor = vm.dir().resolve(CLOUD_HYPERVISOR);
    script(
        cloudHypervisor,
        "cloud-hypervisor: needs KVM and the TAP device "
            + LaunchSettings.DEFAULT_TAP
            + "; add --device path=/sys/bus/pci/devices/ADDRESS/ per GPU bound to vfio-pci",
        CloudHypervisorCommand.argv(
            Path.of(Hypervisor.CLOUD_HYPERVISOR.program()), relative, settings));
    Path qemu = vm.dir().resolve(QEMU);
    script(
        qemu,
        "QEMU: SSH on 127.0.0.1:"
            + DEFAULT_SSH_PORT
            + "; with working KVM use -accel kvm -cpu host; for GPUs -M q35 with virtio-*-pci"
            + " and -device vfio-pci,host=ADDRESS (rig vm run --gpu does this)",
        QemuCommand.argv(Path.of(Hypervisor.QEMU.program()), false, relative, settings));
    return List.of(firecracker, cloudHypervisor, qemu, config);
  }

  private static void script(Path file, String note, List<String> argv) throws IOException {
    String text =
        "#!/bin/sh\n# Written by rig. "
            + note
            + "\ncd \"$(dirname \"$0\")\" || exit 1\nexec "
            + ShellWords.join(argv)
            + " \"$@\"\n";
    Path temp = AtomicFiles.newTemp(file);
    try {
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
      AtomicFiles.commit(temp, file);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
