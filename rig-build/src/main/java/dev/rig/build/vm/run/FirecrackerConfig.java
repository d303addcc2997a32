package dev.rig.build.vm.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The JSON {@code firecracker --config-file} reads, with the sections and field names of
 * Firecracker's API (src/firecracker/swagger/firecracker.yaml): {@code boot-source} (the
 * uncompressed ELF kernel, boot arguments, initrd), {@code drives} (the root disk, then the
 * read-only config disk with the guest's settings), {@code machine-config} and {@code
 * network-interfaces} (a TAP device: Firecracker has no user-mode network). Firecracker has no
 * VFIO, so no GPU appears here.
 */
final class FirecrackerConfig {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** A locally administered MAC, fixed so a guest's network is the same every boot. */
  static final String GUEST_MAC = "06:00:ac:10:00:02";

  private FirecrackerConfig() {}

  static ObjectNode of(VmArtifacts vm, LaunchSettings settings) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode boot = root.putObject("boot-source");
    boot.put("kernel_image_path", vm.vmlinux().toString());
    boot.put("boot_args", BootArguments.of(Hypervisor.FIRECRACKER, vm.descriptor()));
    boot.put("initrd_path", vm.initrd().toString());
    ArrayNode drives = root.putArray("drives");
    ObjectNode drive = drives.addObject();
    drive.put("drive_id", "rootfs");
    drive.put("path_on_host", vm.rootfs().toString());
    drive.put("is_root_device", true);
    drive.put("is_read_only", false);
    ObjectNode config = drives.addObject();
    config.put("drive_id", "config");
    config.put("path_on_host", settings.configDisk().toString());
    config.put("is_root_device", false);
    config.put("is_read_only", true);
    ObjectNode machine = root.putObject("machine-config");
    machine.put("vcpu_count", vm.descriptor().vcpus());
    machine.put("mem_size_mib", vm.descriptor().memoryMiB());
    ObjectNode net = root.putArray("network-interfaces").addObject();
    net.put("iface_id", "eth0");
    net.put("guest_mac", GUEST_MAC);
    net.put("host_dev_name", settings.tapDevice());
    return root;
  }

  static String text(VmArtifacts vm, LaunchSettings settings) {
    try {
      return JSON.writeValueAsString(of(vm, settings)) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Firecracker's command line for the config file; the API socket is how rig stops it. */
  static List<String> argv(Path program, Path configFile, LaunchSettings settings) {
    return List.of(
        program.toString(),
        "--api-sock",
        settings.controlSocket().toString(),
        "--config-file",
        configFile.toString());
  }
}
