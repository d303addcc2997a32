package dev.rig.build.vm.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The passthrough preflight against a fake sysfs, /dev and /proc in a temp folder: a GPU and its
 * audio function in IOMMU group 12, as on a typical NVIDIA card; one test per failure it reports.
 */
class VfioPreflightTest {
  @TempDir Path temp;

  private Path sys;
  private Path dev;
  private Path proc;
  private static final PciAddress GPU = PciAddress.parse("0000:65:00.0");
  private static final String AUDIO = "0000:65:00.1";

  @BeforeEach
  void fakeHost() throws IOException {
    sys = temp.resolve("sys");
    dev = temp.resolve("dev");
    proc = temp.resolve("proc");
    Files.createDirectories(sys.resolve("bus/pci/drivers/vfio-pci"));
    Files.createDirectories(sys.resolve("bus/pci/drivers/nvidia"));
    Files.createDirectories(sys.resolve("bus/pci/drivers/snd_hda_intel"));
    Files.writeString(sys.resolve("bus/pci/drivers/nvidia/unbind"), "");
    Files.writeString(sys.resolve("bus/pci/drivers/snd_hda_intel/unbind"), "");
    Files.writeString(sys.resolve("bus/pci/drivers_probe"), "");
    Files.createDirectories(sys.resolve("kernel/iommu_groups/3/devices"));
    device(GPU.value(), "0x030200", "vfio-pci");
    device(AUDIO, "0x040300", "vfio-pci");
    Files.createDirectories(dev.resolve("vfio"));
    Files.writeString(dev.resolve("vfio/vfio"), "");
    Files.writeString(dev.resolve("vfio/12"), "");
    Files.createDirectories(proc.resolve("self"));
    Files.writeString(
        proc.resolve("cmdline"), "BOOT_IMAGE=/vmlinuz root=/dev/sda1 intel_iommu=on iommu=pt\n");
    limits("unlimited");
  }

  private void device(String address, String pciClass, String driver) throws IOException {
    Path device = Files.createDirectories(sys.resolve("bus/pci/devices").resolve(address));
    Files.writeString(device.resolve("vendor"), "0x10de\n");
    Files.writeString(device.resolve("device"), "0x2330\n");
    Files.writeString(device.resolve("class"), pciClass + "\n");
    Files.writeString(device.resolve("driver_override"), "(null)\n");
    Path group = Files.createDirectories(sys.resolve("kernel/iommu_groups/12/devices"));
    Files.deleteIfExists(device.resolve("iommu_group"));
    Files.createSymbolicLink(
        device.resolve("iommu_group"), Path.of("../../../../kernel/iommu_groups/12"));
    Files.deleteIfExists(group.resolve(address));
    Files.createSymbolicLink(
        group.resolve(address), Path.of("../../../../bus/pci/devices/" + address));
    bindTo(address, driver);
  }

  private void bindTo(String address, String driver) throws IOException {
    Path link = sys.resolve("bus/pci/devices").resolve(address).resolve("driver");
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, Path.of("../../drivers/" + driver));
  }

  private void limits(String lockedSoft) throws IOException {
    Files.writeString(
        proc.resolve("self/limits"),
        "Limit                     Soft Limit           Hard Limit           Units     \n"
            + "Max open files            1024                 1048576              files     \n"
            + "Max locked memory         "
            + lockedSoft
            + "              unlimited            bytes     \n");
  }

  private List<PreflightCheck> run(boolean bind) {
    return new VfioPreflight(new HostRoots(sys, dev, proc)).run(List.of(GPU), 4096, bind);
  }

  private static PreflightCheck only(List<PreflightCheck> checks, String subject) {
    List<PreflightCheck> found =
        checks.stream().filter(c -> c.subject().equals(subject)).collect(Collectors.toList());
    assertEquals(1, found.size(), subject + " in " + checks);
    return found.get(0);
  }

  private static List<PreflightCheck> failures(List<PreflightCheck> checks) {
    return checks.stream().filter(c -> !c.passed()).toList();
  }

  @Test
  void aBoundGroupOnAnIommuHostPasses() {
    List<PreflightCheck> checks = run(false);
    assertEquals(List.of(), failures(checks));
    assertEquals(
        List.of(
            "IOMMU",
            "device 0000:65:00.0",
            "IOMMU group of 0000:65:00.0",
            "driver of 0000:65:00.0",
            "driver of 0000:65:00.1",
            dev.resolve("vfio/12").toString(),
            "locked memory"),
        checks.stream().map(PreflightCheck::subject).toList());
    assertEquals(
        "on: 2 groups (kernel command line: intel_iommu=on iommu=pt)",
        only(checks, "IOMMU").detail());
    assertTrue(
        only(checks, "IOMMU group of 0000:65:00.0")
            .detail()
            .startsWith("group 12: 0000:65:00.0, 0000:65:00.1"));
  }

  @Test
  void iommuOffIsReportedWithTheKernelFlags() throws IOException {
    Files.delete(sys.resolve("kernel/iommu_groups/3/devices"));
    Files.delete(sys.resolve("kernel/iommu_groups/3"));
    for (String member : List.of(GPU.value(), AUDIO)) {
      Files.delete(sys.resolve("kernel/iommu_groups/12/devices").resolve(member));
      Files.delete(sys.resolve("bus/pci/devices").resolve(member).resolve("iommu_group"));
    }
    Files.delete(sys.resolve("kernel/iommu_groups/12/devices"));
    Files.delete(sys.resolve("kernel/iommu_groups/12"));
    Files.writeString(proc.resolve("cmdline"), "BOOT_IMAGE=/vmlinuz root=/dev/sda1 quiet\n");
    List<PreflightCheck> checks = run(false);
    PreflightCheck iommu = only(checks, "IOMMU");
    assertTrue(
        !iommu.passed() && iommu.detail().contains("no intel_iommu/amd_iommu/iommu flag"),
        iommu.detail());
    assertTrue(String.join("\n", iommu.fix()).contains("intel_iommu=on iommu=pt"));
    PreflightCheck group = only(checks, "IOMMU group of 0000:65:00.0");
    assertTrue(!group.passed() && group.detail().contains("has no IOMMU group"), group.detail());
  }

  @Test
  void aMissingDeviceSaysHowToFindTheAddress() {
    List<PreflightCheck> checks =
        new VfioPreflight(new HostRoots(sys, dev, proc))
            .run(List.of(PciAddress.parse("0000:17:00.0")), 4096, false);
    PreflightCheck device = only(checks, "device 0000:17:00.0");
    assertTrue(!device.passed() && device.detail().startsWith("not found in "), device.detail());
    assertTrue(device.fix().get(0).startsWith("lspci -Dnn"));
  }

  @Test
  void aGroupMemberOnItsDriverGetsTheExactCommands() throws IOException {
    bindTo(AUDIO, "snd_hda_intel");
    List<PreflightCheck> checks = run(false);
    PreflightCheck audio = only(checks, "driver of " + AUDIO);
    assertTrue(!audio.passed(), audio.toString());
    assertEquals(
        "on snd_hda_intel, not vfio-pci (IOMMU group 12; bind it with --bind, or run:)",
        audio.detail());
    Path device = sys.resolve("bus/pci/devices").resolve(AUDIO);
    assertEquals(
        List.of(
            "modprobe vfio-pci",
            "echo vfio-pci > " + device.resolve("driver_override"),
            "echo " + AUDIO + " > " + device.resolve("driver/unbind"),
            "echo " + AUDIO + " > " + sys.resolve("bus/pci/drivers_probe")),
        audio.fix());
    assertTrue(only(checks, "driver of " + GPU).passed());
  }

  @Test
  void bindWritesDriverOverrideUnbindAndProbe() throws IOException {
    bindTo(GPU.value(), "nvidia");
    List<PreflightCheck> checks = run(true);
    Path device = sys.resolve("bus/pci/devices").resolve(GPU.value());
    assertEquals("vfio-pci", Files.readString(device.resolve("driver_override")));
    assertEquals(GPU.value(), Files.readString(sys.resolve("bus/pci/drivers/nvidia/unbind")));
    assertEquals(GPU.value(), Files.readString(sys.resolve("bus/pci/drivers_probe")));
    // A fake sysfs has no kernel to move the device: the check says it is still on nvidia.
    PreflightCheck gpu = only(checks, "driver of " + GPU);
    assertTrue(
        !gpu.passed() && gpu.detail().startsWith("still on nvidia after binding"), gpu.detail());
  }

  @Test
  void bridgesInTheGroupStayWithTheHost() throws IOException {
    device("0000:64:00.0", "0x060400", "pcieport");
    PreflightCheck bridge = only(run(false), "driver of 0000:64:00.0");
    assertTrue(bridge.passed() && bridge.detail().contains("PCI bridge"), bridge.detail());
  }

  @Test
  void aMissingVfioNodeSaysToLoadTheModule() throws IOException {
    Files.delete(dev.resolve("vfio/12"));
    PreflightCheck node = only(run(false), dev.resolve("vfio/12").toString());
    assertTrue(!node.passed() && node.detail().startsWith("missing"), node.detail());
    assertEquals("modprobe vfio-pci", node.fix().get(0));
  }

  @Test
  void tooLittleLockedMemorySaysHowToRaiseIt() throws IOException {
    limits("67108864");
    PreflightCheck memlock = only(run(false), "locked memory");
    assertEquals(
        "RLIMIT_MEMLOCK is 64 MiB; VFIO pins all of the guest's 4096 MiB", memlock.detail());
    assertTrue(memlock.fix().get(0).startsWith("ulimit -l unlimited"));
    limits(Long.toString(8L << 30));
    assertTrue(only(run(false), "locked memory").passed());
  }

  @Test
  void dryRunPlanShowsTheVfioDevicesEvenWhenChecksFail() throws IOException {
    bindTo(AUDIO, "snd_hda_intel");
    VmArtifacts vm = VmDirs.make(temp.resolve("out"));
    Path bin = Files.createDirectories(temp.resolve("bin"));
    Path qemu = bin.resolve("qemu-system-x86_64");
    Files.writeString(qemu, "#!/bin/sh\n");
    qemu.toFile().setExecutable(true);
    List<Object> events = new ArrayList<>();
    VmLauncher launcher =
        new VmLauncher(
            new Executables(List.of(bin)),
            new KvmProbe(temp.resolve("no-dev"), Duration.ofSeconds(1)),
            new HostRoots(sys, dev, proc),
            events::add);
    LaunchPlan plan =
        launcher.plan(
            vm,
            new LaunchOptions(
                OptionalInt.of(2222),
                GuestConfig.none(),
                List.of(GPU),
                false,
                LaunchSettings.DEFAULT_TAP,
                Duration.ofSeconds(1)),
            temp);
    assertTrue(!plan.preflightPassed());
    assertTrue(
        plan.commandLine().contains("-device vfio-pci,host=0000:65:00.0"), plan.commandLine());
    assertTrue(plan.commandLine().contains("-M q35"), plan.commandLine());
    assertTrue(
        events.stream()
            .anyMatch(
                e ->
                    e.toString().contains("VmPreflightChecked")
                        && e.toString().contains("snd_hda_intel")),
        events.toString());
    assertTrue(
        events.stream().anyMatch(e -> e.toString().contains("does not exist")), events.toString());
  }
}
