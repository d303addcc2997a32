package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.testkit.Exec;
import dev.rig.testkit.HermeticRepo;
import dev.rig.testkit.HermeticRepo.Deb;
import dev.rig.testkit.HermeticRepo.DebFile;
import dev.rig.testkit.LocalRegistry;
import dev.rig.testkit.SshCommand;
import dev.rig.testkit.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vm.gpu.nvidiaDriver: true} for a small package image: {@code rig build --out vm:DIR}
 * compiles Debian's NVIDIA module for the locked guest kernel and puts it, the GSP firmware and
 * libcuda into the root disk. The disk is read with debugfs and the module with the host's modinfo
 * (vermagic is the kernel in {@code vmlinux}, version the driver's); a second build takes the
 * modules from the cache and gives the same disk; the VM boots with them to an SSH login, where the
 * guest's modinfo finds the module through its modules.dep. Loading it needs a GPU: not here.
 */
class VmNvidiaEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DRIVER = "550.163.01";

  @TempDir static Path dir;

  private static Path vm;
  private static String kernel;
  private static long coldMillis;
  private static long cachedMillis;

  @BeforeAll
  static void build() throws Exception {
    Tools.require("bwrap", "bubblewrap");
    Tools.require("debugfs", "e2fsprogs");
    Tools.require("modinfo", "kmod");
    Tools.require("qemu-system-x86_64", "qemu-system-x86");
    Tools.require("ssh", "openssh-client");
    Path project = dir.resolve("project");
    Files.createDirectories(project);
    Files.writeString(
        project.resolve("rig.yaml"),
        String.join(
            "\n",
            "images:",
            "  nvt:",
            "    packages: [busybox]",
            "    slim: { docs: true, manPages: true, locales: true }",
            "    environment: { core: false, network: false, shell: false }",
            "    cuda: { enable: false }",
            "    vm: { gpu: { nvidiaDriver: true }, memoryMiB: 768, freeSpaceMiB: 64 }",
            "    runtime: { shmMinimumMib: 64 }",
            ""));
    // The cache the other end-to-end tests share: the .debs (the kernel, gcc, the 40 MB driver
    // source) are fetched once per clean build; the modules are compiled once too.
    Path cache = RigRun.sharedCache();
    RigRun.withCache(
            cache,
            List.of(
                "build",
                "-f",
                project.resolve("rig.yaml").toString(),
                "--out",
                "oci:" + dir.resolve("layout")))
        .ok();
    long t0 = System.nanoTime();
    RigRun first =
        RigRun.withCache(
                cache,
                List.of(
                    "build",
                    "-f",
                    project.resolve("rig.yaml").toString(),
                    "--out",
                    "vm:" + dir.resolve("vm-a")))
            .ok();
    coldMillis = (System.nanoTime() - t0) / 1_000_000;
    t0 = System.nanoTime();
    RigRun second =
        RigRun.withCache(
                cache,
                List.of(
                    "build",
                    "-f",
                    project.resolve("rig.yaml").toString(),
                    "--out",
                    "vm:" + dir.resolve("vm-b")))
            .ok();
    cachedMillis = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(
        (second.stdout() + second.stderr()).contains("NVIDIA " + DRIVER + " modules for kernel"),
        second.describe());
    assertTrue((second.stdout() + second.stderr()).contains(": cached"), second.describe());
    vm = dir.resolve("vm-a/nvt");
    kernel = kernelVersion(Files.readAllBytes(vm.resolve("vmlinux")));
    System.out.printf(
        "VM step with the NVIDIA driver: %d ms (first in this cache: %s); again: %d ms%n",
        coldMillis, (first.stdout() + first.stderr()).contains(": built in"), cachedMillis);
    for (String name : List.of("vmlinux", "initrd.img", "rootfs.ext4")) {
      System.out.printf("%s: %d bytes%n", name, Files.size(vm.resolve(name)));
    }
  }

  /** The release in the kernel's banner ("Linux version 6.12.x+deb13-cloud-amd64 (...)"). */
  private static String kernelVersion(byte[] vmlinux) {
    Matcher m =
        Pattern.compile("Linux version (\\S+) ")
            .matcher(new String(vmlinux, StandardCharsets.ISO_8859_1));
    assertTrue(m.find(), "no Linux version banner in vmlinux");
    return m.group(1);
  }

  private static Exec.Result debugfs(Path disk, String request) throws IOException {
    return Exec.run(List.of("debugfs", "-R", request, disk.toString()));
  }

  @Test
  void theDiskHoldsTheModuleBuiltForTheGuestKernelWithFirmwareAndLibcuda() throws Exception {
    Path disk = vm.resolve("rootfs.ext4");
    String modules = "/usr/lib/modules/" + kernel;
    Path ko = dir.resolve("nvidia.ko");
    Exec.Result dump = debugfs(disk, "dump " + modules + "/updates/dkms/nvidia.ko " + ko);
    assertTrue(Files.isRegularFile(ko) && Files.size(ko) > 1_000_000, dump.describe());
    Exec.Result vermagic = Exec.run(List.of("modinfo", "-F", "vermagic", ko.toString()));
    assertEquals(0, vermagic.exitCode(), vermagic.describe());
    assertTrue(vermagic.stdout().startsWith(kernel + " "), vermagic.stdout() + " vs " + kernel);
    Exec.Result version = Exec.run(List.of("modinfo", "-F", "version", ko.toString()));
    assertEquals(DRIVER, version.stdout().strip(), version.describe());
    System.out.printf("nvidia.ko: %d bytes, vermagic %s", Files.size(ko), vermagic.stdout());

    for (String module : List.of("nvidia-uvm", "nvidia-modeset", "nvidia-drm")) {
      Exec.Result stat = debugfs(disk, "stat " + modules + "/updates/dkms/" + module + ".ko");
      assertTrue(stat.stdout().contains("Type: regular"), module + ": " + stat.describe());
    }
    String dep = debugfs(disk, "cat " + modules + "/modules.dep").stdout();
    assertTrue(dep.contains("updates/dkms/nvidia.ko:"), dep);
    assertTrue(dep.contains("updates/dkms/nvidia-uvm.ko: updates/dkms/nvidia.ko"), dep);

    Exec.Result firmware = debugfs(disk, "ls -l /usr/lib/firmware/nvidia/" + DRIVER);
    assertTrue(firmware.stdout().contains("gsp_ga10x.bin"), firmware.describe());
    Exec.Result libcuda =
        debugfs(disk, "stat /usr/lib/x86_64-linux-gnu/nvidia/current/libcuda.so." + DRIVER);
    assertTrue(libcuda.stdout().contains("Type: regular"), libcuda.describe());
    Exec.Result link = debugfs(disk, "stat /usr/lib/x86_64-linux-gnu/libcuda.so.1");
    assertTrue(
        link.stdout().contains("Fast link dest: \"nvidia/current/libcuda.so.1\""), link.describe());

    JsonNode info = JSON.readTree(debugfs(disk, "cat /usr/lib/rig/vm-nvidia.json").stdout());
    assertEquals(DRIVER, info.get("driverVersion").asText());
    assertEquals(kernel, info.get("kernel").asText());
    JsonNode config = JSON.readTree(vm.resolve("vm.json").toFile());
    assertEquals(kernel, config.at("/gpu/nvidiaDriver/kernel").asText());

    // The modules from the cache give the same disk.
    assertEquals(
        VmRunProcess.sha256(disk), VmRunProcess.sha256(dir.resolve("vm-b/nvt/rootfs.ext4")));
    // The container image stays without the driver.
    Exec.Result listed =
        Exec.run(
            List.of(
                "sh",
                "-c",
                "for f in \"$0\"/*; do (zstd -dcq < \"$f\" 2>/dev/null || gzip -dc < \"$f\""
                    + " 2>/dev/null) | tar -t 2>/dev/null; done | grep -c nvidia/current/ || true",
                dir.resolve("layout/blobs/sha256").toString()));
    assertEquals("0", listed.stdout().strip(), "driver files in the container image's layers");
  }

  @Test
  void theVmWithTheDriverBootsToSshAndFindsTheModule() throws Exception {
    Path key = dir.resolve("ssh-key");
    Exec.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())).ok();
    int port = LocalRegistry.freePort();
    try (VmRunProcess run =
        VmRunProcess.start(
            vm, port, key.resolveSibling("ssh-key.pub"), dir.resolve("console.log"), Map.of())) {
      Exec.Result found =
          run.ssh(
                  port,
                  key,
                  "busybox modinfo -F version nvidia; uname -r",
                  Duration.ofSeconds(150),
                  result -> result.exitCode() == 0)
              .orElse(null);
      assertTrue(
          found != null && found.exitCode() == 0,
          "no SSH login into the VM: "
              + (found == null ? "" : found.describe())
              + "\n--- rig vm run\n"
              + run.console());
      assertEquals(DRIVER + "\n" + kernel + "\n", found.stdout(), found.describe());
      Exec.run(SshCommand.asRoot(port, key, 3, "poweroff"));
      assertTrue(run.endsWithin(30), run.console());
    }
  }

  @Test
  void aGuestKernelWithoutHeadersIsRefusedAtTheOptionsLine() throws Exception {
    // A kernel package of a version Debian has no headers for: the real kernel under another name,
    // from a signed repository of the test's own.
    HermeticRepo repo =
        HermeticRepo.buildFlat(
            dir.resolve("kernel-repo"),
            List.of(
                Deb.of("linux-image-9.9.9-rig-test", "9.9.9-1", "amd64", "Section", "kernel")
                    .with(
                        DebFile.file(
                            "/boot/vmlinuz-9.9.9-rig-test",
                            Files.readAllBytes(vm.resolve("bzImage")),
                            0644))));
    Path project = dir.resolve("no-headers");
    Files.createDirectories(project);
    String yaml =
        String.join(
            "\n",
            "images:",
            "  nvt:",
            "    packages: [busybox]",
            "    slim: { docs: true, manPages: true, locales: true }",
            "    environment: { core: false, network: false, shell: false }",
            "    cuda: { enable: false }",
            "    repositories:",
            "      - { uri: \""
                + repo.uri()
                + "\", suites: [\"/\"], signedBy: \""
                + repo.keyring()
                + "\" }",
            "    vm:",
            "      kernelPackage: linux-image-9.9.9-rig-test",
            "      gpu: { nvidiaDriver: true }",
            "    runtime: { shmMinimumMib: 64 }",
            "");
    Files.writeString(project.resolve("rig.yaml"), yaml);
    RigRun run =
        RigRun.withCache(
            RigRun.sharedCache(),
            List.of(
                "build",
                "-f",
                project.resolve("rig.yaml").toString(),
                "--out",
                "vm:" + dir.resolve("vm-no-headers")));
    assertEquals(1, run.exitCode(), run.describe());
    String all = run.stdout() + run.stderr();
    assertTrue(all.contains("rig.yaml:11: images[\"nvt\"].vm.gpu.nvidiaDriver:"), run.describe());
    assertTrue(
        all.contains("no kernel headers for the guest kernel 9.9.9-rig-test"), run.describe());
    assertTrue(all.contains("linux-headers-9.9.9-rig-test"), run.describe());
  }
}
