package dev.rig.build.vm.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Firecracker config file has the sections and fields Firecracker's API documents; the QEMU and
 * cloud-hypervisor command lines wire the disk, the loopback-only SSH forward, the control socket,
 * the guest's keys and the passed-through devices.
 */
class CommandLinesTest {
  @TempDir Path temp;

  private LaunchSettings settings(List<PciAddress> gpus) {
    return new LaunchSettings(
        2345, Path.of("/run/vm/control.sock"), "tap7", Path.of("/run/vm/config.img"), gpus);
  }

  @Test
  void firecrackerConfigHasTheDocumentedFields() throws IOException {
    VmArtifacts vm = VmDirs.make(temp);
    JsonNode json = new ObjectMapper().readTree(FirecrackerConfig.text(vm, settings(List.of())));
    JsonNode boot = json.get("boot-source");
    assertEquals(vm.vmlinux().toString(), boot.get("kernel_image_path").asText());
    assertEquals(vm.initrd().toString(), boot.get("initrd_path").asText());
    String args = boot.get("boot_args").asText();
    assertTrue(args.contains("console=ttyS0"), args);
    assertTrue(args.contains("reboot=k") && args.contains("pci=off"), args);
    assertTrue(args.contains("rig.config=/dev/vdb"), args);
    assertFalse(args.contains("rig.env="), args);
    assertEquals(2, json.get("drives").size());
    JsonNode config = json.get("drives").get(1);
    assertEquals("config", config.get("drive_id").asText());
    assertEquals("/run/vm/config.img", config.get("path_on_host").asText());
    assertFalse(config.get("is_root_device").asBoolean());
    assertTrue(config.get("is_read_only").asBoolean());
    JsonNode drive = json.get("drives").get(0);
    assertEquals("rootfs", drive.get("drive_id").asText());
    assertEquals(vm.rootfs().toString(), drive.get("path_on_host").asText());
    assertTrue(drive.get("is_root_device").asBoolean());
    assertFalse(drive.get("is_read_only").asBoolean());
    JsonNode machine = json.get("machine-config");
    assertEquals(2, machine.get("vcpu_count").asInt());
    assertEquals(512, machine.get("mem_size_mib").asInt());
    JsonNode net = json.get("network-interfaces").get(0);
    assertEquals("eth0", net.get("iface_id").asText());
    assertEquals("tap7", net.get("host_dev_name").asText());
    assertTrue(net.get("guest_mac").asText().matches("([0-9a-f]{2}:){5}[0-9a-f]{2}"));
    assertEquals(
        List.of("boot-source", "drives", "machine-config", "network-interfaces"),
        iterate(json.fieldNames()));
  }

  @Test
  void qemuWithoutGpusIsAMicrovmUnderTcgWithLoopbackSsh() throws IOException {
    VmArtifacts vm = VmDirs.make(temp);
    List<String> argv =
        QemuCommand.argv(Path.of("/usr/bin/qemu-system-x86_64"), false, vm, settings(List.of()));
    String line = String.join(" ", argv);
    assertEquals(List.of("-M", "microvm"), argv.subList(1, 3));
    assertEquals(List.of("-accel", "tcg,thread=single"), argv.subList(3, 5));
    assertFalse(argv.contains("-cpu"), line);
    assertTrue(argv.contains("user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:2345-:22"), line);
    assertTrue(argv.contains("virtio-net-device,netdev=net0"), line);
    assertTrue(line.contains("-object rng-random,id=rng0,filename=/dev/urandom"), line);
    assertTrue(argv.contains("virtio-rng-device,rng=rng0"), line);
    // PVH boot of the ELF kernel on microvm, not the bzImage
    assertEquals(vm.vmlinux().toString(), argv.get(argv.indexOf("-kernel") + 1));
    assertTrue(
        argv.contains("id=root,file=" + vm.rootfs() + ",format=raw,if=none,snapshot=on"), line);
    assertTrue(argv.contains("virtio-blk-device,drive=root"), line);
    assertTrue(argv.contains("unix:/run/vm/control.sock,server=on,wait=off"), line);
    assertFalse(line.contains("vfio"), line);
    String append = argv.get(argv.indexOf("-append") + 1);
    // vm.json's console and root are not repeated; the emulated CPU skips clock calibration
    assertEquals(1, append.split("console=", -1).length - 1, append);
    assertTrue(append.contains("no_timer_check"), append);
    // the TSC is the clock the watchdog must not take away mid-boot (see BootArguments)
    assertTrue(append.contains(" tsc=reliable "), append);
    // The settings are on the second, read-only drive; the command line only says where.
    assertTrue(
        argv.contains("id=config,file=/run/vm/config.img,format=raw,if=none,readonly=on"), line);
    assertTrue(argv.contains("virtio-blk-device,drive=config"), line);
    assertTrue(
        argv.indexOf("virtio-blk-device,drive=root")
            < argv.indexOf("virtio-blk-device,drive=config"),
        "the root disk must stay /dev/vda: " + line);
    assertTrue(append.endsWith(" rig.config=/dev/vdb"), append);
    assertFalse(append.contains("rig.env="), append);
  }

  @Test
  void qemuWithGpusIsQ35WithVfioDevicesAndKvm() throws IOException {
    VmArtifacts vm = VmDirs.make(temp);
    List<String> argv =
        QemuCommand.argv(
            Path.of("qemu-system-x86_64"),
            true,
            vm,
            settings(List.of(PciAddress.parse("65:00.0"), PciAddress.parse("0000:66:00.1"))));
    String line = String.join(" ", argv);
    assertEquals(List.of("-M", "q35", "-accel", "kvm", "-cpu", "host"), argv.subList(1, 7));
    assertTrue(
        line.contains("-device vfio-pci,host=0000:65:00.0 -device vfio-pci,host=0000:66:00.1"),
        line);
    assertTrue(argv.contains("virtio-blk-pci,drive=root"), line);
    assertTrue(argv.contains("virtio-net-pci,netdev=net0"), line);
    assertEquals(vm.bzImage().toString(), argv.get(argv.indexOf("-kernel") + 1));
    assertFalse(line.contains("no_timer_check"), line);
    assertFalse(line.contains("tsc=reliable"), line);
  }

  @Test
  void cloudHypervisorPassesDevicesBySysfsPath() throws IOException {
    VmArtifacts vm = VmDirs.make(temp);
    List<String> argv =
        CloudHypervisorCommand.argv(
            Path.of("cloud-hypervisor"), vm, settings(List.of(PciAddress.parse("65:00.0"))));
    String line = String.join(" ", argv);
    assertTrue(line.contains("--kernel " + vm.vmlinux()), line);
    assertTrue(line.contains("--initramfs " + vm.initrd()), line);
    assertTrue(
        line.contains("--disk path=" + vm.rootfs() + " path=/run/vm/config.img,readonly=on"), line);
    assertTrue(line.contains("--cpus boot=2 --memory size=512M"), line);
    assertTrue(line.contains("--net tap=tap7"), line);
    assertTrue(line.contains("--device path=/sys/bus/pci/devices/0000:65:00.0/"), line);
    assertTrue(line.contains("--api-socket path=/run/vm/control.sock"), line);
  }

  @Test
  void launchFilesAreWrittenNextToTheArtifactsWithRelativePaths() throws IOException {
    VmArtifacts vm = VmDirs.make(temp);
    List<Path> files = LaunchFiles.write(vm);
    assertEquals(4, files.size());
    assertEquals(
        "RIGCFG1 0\n",
        new String(
            Files.readAllBytes(vm.dir().resolve("config.img")), 0, 10, StandardCharsets.US_ASCII));
    assertTrue(
        Files.readString(vm.dir().resolve("qemu.sh")).contains("id=config,file=./config.img"));
    JsonNode json =
        new ObjectMapper().readTree(Files.readString(vm.dir().resolve("firecracker.json")));
    assertEquals("./vmlinux", json.get("boot-source").get("kernel_image_path").asText());
    String qemu = Files.readString(vm.dir().resolve("qemu.sh"));
    assertTrue(qemu.startsWith("#!/bin/sh\n"), qemu);
    assertTrue(qemu.contains("hostfwd=tcp:127.0.0.1:2222-:22"), qemu);
    assertTrue(Files.isExecutable(vm.dir().resolve("qemu.sh")));
    assertTrue(
        Files.readString(vm.dir().resolve("cloud-hypervisor.sh")).contains("--kernel ./vmlinux"));
    try (Stream<Path> names = Files.list(vm.dir())) {
      assertTrue(names.noneMatch(p -> p.getFileName().toString().startsWith(".tmp")));
    }
  }

  @Test
  void pciAddressesAreReadAsLspciPrintsThem() {
    assertEquals("0000:65:00.0", PciAddress.parse("65:00.0").value());
    assertEquals("0000:65:00.0", PciAddress.parse("0000:65:00.0").value());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PciAddress.parse("gpu0"));
    assertTrue(e.getMessage().contains("DOMAIN:BUS:DEVICE.FUNCTION"), e.getMessage());
  }

  private static List<String> iterate(Iterator<String> names) {
    List<String> list = new ArrayList<>();
    names.forEachRemaining(list::add);
    return list;
  }
}
