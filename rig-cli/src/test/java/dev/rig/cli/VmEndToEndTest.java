package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.testkit.Exec;
import dev.rig.testkit.LocalRegistry;
import dev.rig.testkit.SshCommand;
import dev.rig.testkit.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rig build --out vm:DIR} for a small package image (sshd and one service): the artifacts
 * boot under QEMU without acceleration (this machine's KVM does not run nested guests) to an SSH
 * login through a loopback-forwarded port with the key given on the kernel command line, the
 * service is ready, and {@code poweroff} in the guest ends QEMU; two builds from two caches give
 * the same kernel, initramfs and disk bytes, and a changed file changes the disk.
 */
class VmEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> ARTIFACTS =
      List.of("vmlinux", "bzImage", "initrd.img", "rootfs.ext4");

  @TempDir static Path dir;

  private static Path vm;

  @BeforeAll
  static void build() throws Exception {
    Tools.require("bwrap", "bubblewrap");
    Tools.require("qemu-system-x86_64", "qemu-system-x86");
    Tools.require("ssh", "openssh-client");
    Tools.require("debugfs", "e2fsprogs");
    writeSpec(dir.resolve("project"), "hello");
    long t0 = System.nanoTime();
    RigRun.withCache(
            dir.resolve("cache-a"),
            List.of(
                "build",
                "-f",
                dir.resolve("project/rig.yaml").toString(),
                "--out",
                "oci:" + dir.resolve("layout")))
        .ok();
    long container = System.nanoTime() - t0;
    t0 = System.nanoTime();
    RigRun.withCache(
            dir.resolve("cache-a"),
            List.of(
                "build",
                "-f",
                dir.resolve("project/rig.yaml").toString(),
                "--out",
                "vm:" + dir.resolve("vm-a")))
        .ok();
    long withVm = System.nanoTime() - t0;
    vm = dir.resolve("vm-a/vmt");
    System.out.printf(
        "cold container build %d ms; VM artifacts on the warm cache %d ms%n",
        container / 1_000_000, withVm / 1_000_000);
    for (String name : ARTIFACTS) {
      System.out.printf("%s: %d bytes%n", name, Files.size(vm.resolve(name)));
    }
  }

  /** A small image: rig-init with sshd and one service whose readiness is a file it writes. */
  private static void writeSpec(Path project, String motd) throws IOException {
    Files.createDirectories(project);
    Files.writeString(project.resolve("motd"), motd + "\n");
    Files.writeString(
        project.resolve("rig.yaml"),
        String.join(
            "\n",
            "images:",
            "  vmt:",
            "    packages: [busybox]",
            "    slim: { docs: true, manPages: true, locales: true }",
            "    environment: { core: false, network: false, shell: false }",
            "    cuda: { enable: false }",
            "    copyToRoot:",
            "      - { source: motd, target: /etc/motd, mode: \"0644\", uid: 0, gid: 0 }",
            "    vm: { memoryMiB: 768, freeSpaceMiB: 64 }",
            "    runtime:",
            "      shmMinimumMib: 64",
            "      services:",
            "        hello:",
            "          command: [sh, -c, \"echo hi > /run/hello.txt; exec sleep 100000\"]",
            "          readiness: { file: /run/hello.txt }",
            ""));
  }

  @Test
  void bootsUnderQemuToAnSshLoginWithTheServiceReadyAndPowersOff() throws Exception {
    JsonNode config = JSON.readTree(vm.resolve("vm.json").toFile());
    assertEquals("vmt", config.get("image").asText());
    assertEquals(768, config.get("memoryMiB").asInt());
    assertEquals("/dev/vda", config.get("rootDevice").asText());
    assertTrue(config.get("kernelCmdline").asText().contains("root=/dev/vda"));
    byte[] elf = Files.readAllBytes(vm.resolve("vmlinux"));
    assertEquals("\u007fELF", new String(elf, 0, 4, StandardCharsets.ISO_8859_1));

    Path key = dir.resolve("ssh-key");
    Exec.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())).ok();
    String env = "PUBLIC_KEY=" + Files.readString(key.resolveSibling("ssh-key.pub")).strip() + "\n";
    // QEMU writes to the disk: boot a copy, so the build's bytes stay as they were.
    Path disk = dir.resolve("boot.ext4");
    Files.copy(vm.resolve("rootfs.ext4"), disk);
    int port = LocalRegistry.freePort();
    Path console = dir.resolve("console.log");
    List<String> qemu =
        new ArrayList<>(
            List.of(
                "qemu-system-x86_64",
                "-M",
                "microvm",
                "-accel",
                "tcg",
                "-cpu",
                "max",
                "-m",
                config.get("memoryMiB").asText(),
                "-smp",
                "2",
                "-nographic",
                "-nodefaults",
                "-no-reboot",
                "-serial",
                "stdio",
                "-kernel",
                vm.resolve("bzImage").toString(),
                "-initrd",
                vm.resolve("initrd.img").toString(),
                "-append",
                config.get("kernelCmdline").asText()
                    // Emulated, the TSC cannot be calibrated against the timer QEMU lacks here.
                    + " tsc_early_khz=2000000 lpj=8000000 no_timer_check rig.env="
                    + Base64.getEncoder().encodeToString(env.getBytes(StandardCharsets.UTF_8)),
                "-drive",
                "id=root,file=" + disk + ",format=raw,if=none",
                "-device",
                "virtio-blk-device,drive=root",
                "-netdev",
                "user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:" + port + "-:22",
                "-device",
                "virtio-net-device,netdev=n0",
                "-device",
                "virtio-rng-device"));
    long t0 = System.nanoTime();
    Process process =
        new ProcessBuilder(qemu).redirectErrorStream(true).redirectOutput(console.toFile()).start();
    try {
      Exec.Result login = null;
      long loginMillis = -1;
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (System.nanoTime() < deadline && process.isAlive()) {
        login =
            Exec.run(
                SshCommand.asRoot(port, key, 3, "/usr/lib/rig/rig-init status"),
                java.util.Map.of(),
                null,
                Duration.ofSeconds(20));
        if (login.exitCode() == 0 && loginMillis < 0) {
          loginMillis = (System.nanoTime() - t0) / 1_000_000;
        }
        if (login.exitCode() == 0 && helloReady(login.stdout())) {
          break;
        }
        Thread.sleep(300);
      }
      long readyMillis = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(
          login != null && login.exitCode() == 0 && helloReady(login.stdout()),
          "no SSH login into the VM with the service ready: "
              + (login == null ? "" : login.describe())
              + "\n--- console\n"
              + Files.readString(console));
      System.out.printf(
          "VM boot -> ssh login (TCG): %d ms; -> service ready: %d ms%n", loginMillis, readyMillis);
      Exec.Result motd =
          Exec.run(SshCommand.asRoot(port, key, 3, "cat /etc/motd; hostname; cat /proc/1/comm"));
      assertEquals(0, motd.exitCode(), motd.describe());
      assertTrue(motd.stdout().startsWith("hello\nvmt\n"), motd.stdout());

      long t1 = System.nanoTime();
      Exec.run(SshCommand.asRoot(port, key, 3, "poweroff"));
      assertTrue(
          process.waitFor(30, TimeUnit.SECONDS),
          "QEMU still runs 30 s after poweroff\n--- console\n" + Files.readString(console));
      long offMillis = (System.nanoTime() - t1) / 1_000_000;
      System.out.printf("poweroff in the guest -> QEMU exited: %d ms%n", offMillis);
      assertTrue(offMillis < 10_000, "poweroff took " + offMillis + " ms");
      // The disk was unmounted cleanly: e2fsck finds nothing to fix.
      assertEquals(0, e2fsck(disk).exitCode(), e2fsck(disk).describe());
    } finally {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Whether rig-init's status table has the service {@code hello} running and ready. */
  private static boolean helloReady(String table) {
    return table
        .lines()
        .map(line -> line.trim().split("\\s+"))
        .anyMatch(cols -> cols.length >= 5 && cols[0].equals("hello") && cols[4].equals("yes"));
  }

  private static Exec.Result e2fsck(Path disk) {
    return Exec.run(List.of("e2fsck", "-n", "-f", disk.toString()));
  }

  @Test
  void twoCachesGiveTheSameBytesAndAChangedFileChangesTheDisk() throws Exception {
    Path cacheB = dir.resolve("cache-b");
    Files.createDirectories(cacheB);
    // The .debs and the configured roots copied (hard links) to keep the test short: the layers,
    // the linked Java, the kernel files, the initramfs and the disk are all made again.
    for (String part : List.of("debs", "stages")) {
      Exec.run(
              List.of(
                  "cp",
                  "-al",
                  dir.resolve("cache-a").resolve(part).toString(),
                  cacheB.resolve(part).toString()))
          .ok();
    }
    Path other = dir.resolve("project-b");
    writeSpec(other, "hello");
    Files.copy(dir.resolve("project/rig.lock"), other.resolve("rig.lock"));
    RigRun.withCache(
            cacheB,
            List.of(
                "build",
                "-f",
                other.resolve("rig.yaml").toString(),
                "--out",
                "vm:" + dir.resolve("vm-b")))
        .ok();
    for (String name : ARTIFACTS) {
      assertEquals(sha256(vm.resolve(name)), sha256(dir.resolve("vm-b/vmt").resolve(name)), name);
    }

    writeSpec(other, "changed");
    RigRun.withCache(
            cacheB,
            List.of(
                "build",
                "-f",
                other.resolve("rig.yaml").toString(),
                "--out",
                "vm:" + dir.resolve("vm-c")))
        .ok();
    Path changed = dir.resolve("vm-c/vmt");
    assertNotEquals(sha256(vm.resolve("rootfs.ext4")), sha256(changed.resolve("rootfs.ext4")));
    assertEquals(sha256(vm.resolve("vmlinux")), sha256(changed.resolve("vmlinux")));
    assertEquals(sha256(vm.resolve("initrd.img")), sha256(changed.resolve("initrd.img")));
    Exec.Result motd =
        Exec.run(
            List.of("debugfs", "-R", "cat /etc/motd", changed.resolve("rootfs.ext4").toString()));
    assertEquals("changed\n", motd.stdout());
  }

  private static String sha256(Path file) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 20];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
