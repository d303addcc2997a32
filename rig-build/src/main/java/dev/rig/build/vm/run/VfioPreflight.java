package dev.rig.build.vm.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Checks that a host can pass the given PCI devices to a VM through VFIO, the way an operator would
 * check it by hand, and says what to run when it cannot: the IOMMU is on; each device exists and
 * has an IOMMU group; every device of that group is bound to vfio-pci (the whole group goes to the
 * VM; PCI bridges stay with the host); {@code /dev/vfio/N} is there and usable; and the locked
 * memory limit covers the guest's memory, which VFIO pins. With {@code bind}, devices not on
 * vfio-pci are moved to it (driver_override, unbind, drivers_probe) before they are checked.
 */
public record VfioPreflight(HostRoots roots) {
  private static final long MIB = 1024L * 1024L;

  public List<PreflightCheck> run(List<PciAddress> devices, int memoryMiB, boolean bind) {
    List<PreflightCheck> checks = new ArrayList<>();
    checks.add(iommu());
    for (PciAddress device : devices) {
      checkDevice(device, bind, checks);
    }
    checks.add(memlock(memoryMiB));
    return List.copyOf(checks);
  }

  private Path pciDevices() {
    return roots.sys().resolve("bus/pci/devices");
  }

  private PreflightCheck iommu() {
    Path groups = roots.sys().resolve("kernel/iommu_groups");
    long count = count(groups);
    String flags = iommuFlags();
    if (count == 0) {
      return PreflightCheck.failed(
          "IOMMU",
          "off: " + groups + " is empty or missing (kernel command line: " + flags + ")",
          List.of(
              "# enable VT-d (Intel) or AMD-Vi/IOMMU (AMD) in the firmware setup, then:",
              "# add intel_iommu=on iommu=pt (Intel) or amd_iommu=on iommu=pt (AMD) to"
                  + " GRUB_CMDLINE_LINUX in /etc/default/grub",
              "update-grub && reboot"));
    }
    return PreflightCheck.ok(
        "IOMMU", "on: " + count + " groups (kernel command line: " + flags + ")");
  }

  private String iommuFlags() {
    Path cmdline = roots.proc().resolve("cmdline");
    String text = read(cmdline).orElse("");
    List<String> flags =
        Stream.of(text.strip().split("\\s+"))
            .filter(
                w ->
                    w.startsWith("intel_iommu=")
                        || w.startsWith("amd_iommu=")
                        || w.startsWith("iommu="))
            .toList();
    return flags.isEmpty() ? "no intel_iommu/amd_iommu/iommu flag" : String.join(" ", flags);
  }

  private void checkDevice(PciAddress address, boolean bind, List<PreflightCheck> checks) {
    Path device = pciDevices().resolve(address.value());
    String subject = "device " + address;
    if (!Files.isDirectory(device)) {
      checks.add(
          PreflightCheck.failed(
              subject,
              "not found in " + pciDevices(),
              List.of("lspci -Dnn | grep -i -e nvidia -e 3d -e vga   # the GPU's address")));
      return;
    }
    checks.add(
        PreflightCheck.ok(
            subject,
            "present (vendor "
                + read(device.resolve("vendor")).orElse("?")
                + ", device "
                + read(device.resolve("device")).orElse("?")
                + ", driver "
                + driver(device).orElse("none")
                + ")"));
    Optional<String> group = linkName(device.resolve("iommu_group"));
    if (group.isEmpty()) {
      checks.add(
          PreflightCheck.failed(
              "IOMMU group of " + address,
              address + " has no IOMMU group (the IOMMU is off or does not cover this slot)",
              List.of(
                  "# turn the IOMMU on (see the IOMMU check), or move the card to another slot")));
      return;
    }
    Path members =
        roots.sys().resolve("kernel/iommu_groups").resolve(group.get()).resolve("devices");
    List<String> names = list(members);
    checks.add(
        PreflightCheck.ok(
            "IOMMU group of " + address,
            "group "
                + group.get()
                + ": "
                + String.join(", ", names)
                + (names.size() > 1 ? " (all of them go to the VM together)" : "")));
    for (String member : names) {
      checks.add(driverCheck(member, group.get(), bind));
    }
    checks.add(vfioNode(group.get()));
  }

  private PreflightCheck driverCheck(String member, String group, boolean bind) {
    Path device = pciDevices().resolve(member);
    String subject = "driver of " + member;
    Optional<String> driver = driver(device);
    if (driver.filter("vfio-pci"::equals).isPresent()) {
      return PreflightCheck.ok(subject, "vfio-pci");
    }
    if (read(device.resolve("class")).orElse("").startsWith("0x0604")) {
      return PreflightCheck.ok(
          subject, "a PCI bridge (" + driver.orElse("no driver") + "): it stays with the host");
    }
    List<String> commands = bindCommands(member, driver.isPresent());
    if (bind) {
      try {
        write(device.resolve("driver_override"), "vfio-pci");
        if (driver.isPresent()) {
          write(device.resolve("driver").resolve("unbind"), member);
        }
        write(pciDevices().getParent().resolve("drivers_probe"), member);
      } catch (IOException e) {
        return PreflightCheck.failed(
            subject,
            "binding to vfio-pci failed: " + e.getMessage() + " (binding needs root)",
            commands);
      }
      Optional<String> now = driver(device);
      if (now.filter("vfio-pci"::equals).isPresent()) {
        return PreflightCheck.ok(
            subject, "bound to vfio-pci now (was " + driver.orElse("no driver") + ")");
      }
      return PreflightCheck.failed(
          subject,
          "still on "
              + now.orElse("no driver")
              + " after binding (wrote driver_override, unbind, drivers_probe; is the vfio-pci"
              + " module loaded?)",
          commands);
    }
    return PreflightCheck.failed(
        subject,
        "on "
            + driver.orElse("no driver")
            + ", not vfio-pci (IOMMU group "
            + group
            + "; bind it with --bind, or run:)",
        commands);
  }

  private List<String> bindCommands(String member, boolean unbind) {
    Path device = pciDevices().resolve(member);
    List<String> commands = new ArrayList<>();
    commands.add("modprobe vfio-pci");
    commands.add("echo vfio-pci > " + device.resolve("driver_override"));
    if (unbind) {
      commands.add("echo " + member + " > " + device.resolve("driver/unbind"));
    }
    commands.add("echo " + member + " > " + pciDevices().getParent().resolve("drivers_probe"));
    return commands;
  }

  private PreflightCheck vfioNode(String group) {
    Path container = roots.dev().resolve("vfio/vfio");
    Path node = roots.dev().resolve("vfio").resolve(group);
    String subject = node.toString();
    if (!Files.exists(container) || !Files.exists(node)) {
      return PreflightCheck.failed(
          subject,
          "missing"
              + (Files.exists(container) ? "" : " (and " + container + ")")
              + ": the group is not bound to vfio-pci yet, or the module is not loaded",
          List.of("modprobe vfio-pci", "# then bind every device of the group (see above)"));
    }
    if (!Files.isReadable(node) || !Files.isWritable(node)) {
      return PreflightCheck.failed(
          subject,
          "present but not readable and writable by this user",
          List.of("chown $(id -un) " + node + "   # or run rig vm run as root"));
    }
    return PreflightCheck.ok(subject, "present and usable");
  }

  private PreflightCheck memlock(int memoryMiB) {
    Path limits = roots.proc().resolve("self/limits");
    String subject = "locked memory";
    Optional<String> line =
        read(limits)
            .flatMap(
                text -> text.lines().filter(l -> l.startsWith("Max locked memory")).findFirst());
    if (line.isEmpty()) {
      return PreflightCheck.failed(
          subject, "cannot read the limit from " + limits, List.of("ulimit -l   # shows it"));
    }
    String soft = line.get().substring("Max locked memory".length()).strip().split("\\s+")[0];
    long need = memoryMiB * MIB;
    if (soft.equals("unlimited")) {
      return PreflightCheck.ok(subject, "unlimited (the guest's " + memoryMiB + " MiB are pinned)");
    }
    long have;
    try {
      have = Long.parseLong(soft);
    } catch (NumberFormatException e) {
      return PreflightCheck.failed(
          subject, "cannot read the limit '" + soft + "' in " + limits, List.of("ulimit -l"));
    }
    if (have < need) {
      return PreflightCheck.failed(
          subject,
          "RLIMIT_MEMLOCK is "
              + have / MIB
              + " MiB; VFIO pins all of the guest's "
              + memoryMiB
              + " MiB",
          List.of(
              "ulimit -l unlimited   # in the shell that runs rig (needs root or a high enough hard"
                  + " limit)",
              "# or LimitMEMLOCK=infinity in a systemd unit, or memlock lines in"
                  + " /etc/security/limits.conf"));
    }
    return PreflightCheck.ok(
        subject, have / MIB + " MiB, enough for the guest's " + memoryMiB + " MiB");
  }

  private static Optional<String> driver(Path device) {
    return linkName(device.resolve("driver"));
  }

  /** The last name a symbolic link points to, as sysfs links devices to groups and drivers. */
  private static Optional<String> linkName(Path link) {
    if (!Files.isSymbolicLink(link)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readSymbolicLink(link).getFileName().toString());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Writes a sysfs attribute: never creates a file, as the kernel's attributes already exist. */
  private static void write(Path attribute, String value) throws IOException {
    Files.writeString(attribute, value, StandardCharsets.UTF_8, StandardOpenOption.WRITE);
  }

  private static long count(Path dir) {
    return list(dir).size();
  }

  private static List<String> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }
}
