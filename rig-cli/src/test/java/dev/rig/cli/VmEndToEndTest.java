package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.testkit.Exec;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rig build --out vm:DIR} for a small package image (sshd and one service): {@code rig vm
 * run} boots the artifacts under QEMU without acceleration (this machine's KVM does not run nested
 * guests) to an SSH login through a loopback-forwarded port with the key given to it, the service
 * is ready, and {@code poweroff} in the guest stops the services and ends the run; two builds from
 * two caches give the same kernel, initramfs and disk bytes, and a changed file changes the disk.
 */
class VmEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> ARTIFACTS =
      List.of("vmlinux", "bzImage", "initrd.img", "rootfs.ext4");

  private static final String ROOT_PASSWORD = "vm-root-pw-3141";
  private static final String GREETING = "hello-from-the-config-disk";

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
            "          command: [sh, -c, \"echo $GREETING > /run/hello.txt; exec sleep 100000\"]",
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
    int port = LocalRegistry.freePort();
    Path console = dir.resolve("console.log");
    // rig vm run in a JVM of its own: it picks QEMU without KVM here (nested guests do not run),
    // forwards SSH from 127.0.0.1 only with restrict=on, and passes the key, ROOT_PASSWORD (from
    // its own environment) and a variable on the read-only config disk.
    long t0 = System.nanoTime();
    try (VmRunProcess run =
        VmRunProcess.start(
            vm,
            port,
            key.resolveSibling("ssh-key.pub"),
            console,
            Map.of("ROOT_PASSWORD", ROOT_PASSWORD),
            "--env",
            "ROOT_PASSWORD",
            "--env",
            "GREETING=" + GREETING)) {
      Process process = run.process();
      Exec.Result login = null;
      long loginMillis = -1;
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (System.nanoTime() < deadline && process.isAlive()) {
        login =
            Exec.run(
                SshCommand.asRoot(port, key, 3, "/usr/lib/rig/rig-init status"),
                Map.of(),
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
              + "\n--- rig vm run\n"
              + Files.readString(console));
      System.out.printf(
          "rig vm run -> ssh login (TCG): %d ms; -> service ready: %d ms%n",
          loginMillis, readyMillis);
      Exec.Result motd =
          Exec.run(SshCommand.asRoot(port, key, 3, "cat /etc/motd; hostname; cat /proc/1/comm"));
      assertEquals(0, motd.exitCode(), motd.describe());
      assertTrue(motd.stdout().startsWith("hello\nvmt\n"), motd.stdout());

      // The settings came from the config disk: the key logged in, the service got the variable,
      // root has a password hash; neither the key nor the password is on the guest's kernel
      // command line, in PID 1's environment, in a file under /run, or on the console.
      Exec.Result settings =
          Exec.run(
              SshCommand.asRoot(
                  port,
                  key,
                  3,
                  "cat /proc/cmdline; echo; cat /run/hello.txt; grep -c '^root:[$]' /etc/shadow;"
                      + " tr '\\0' '\\n' < /proc/1/environ; grep -rl "
                      + ROOT_PASSWORD
                      + " /run /etc /root /tmp 2>/dev/null; echo end"));
      assertEquals(0, settings.exitCode(), settings.describe());
      String[] lines = settings.stdout().split("\n");
      String cmdline = lines[0];
      assertTrue(cmdline.contains("rig.config=/dev/vdb"), cmdline);
      String keyBody = Files.readString(key.resolveSibling("ssh-key.pub")).split(" ")[1];
      assertFalse(cmdline.contains(keyBody.substring(20, 60)), cmdline);
      assertFalse(cmdline.contains("rig.env="), cmdline);
      assertEquals(GREETING, lines[2], settings.stdout());
      assertEquals("1", lines[3], settings.stdout());
      assertFalse(settings.stdout().contains(ROOT_PASSWORD), settings.stdout());
      assertTrue(settings.stdout().endsWith("\nend\n"), settings.stdout());
      assertFalse(settings.stdout().matches("(?s).*\n/(run|etc|root|tmp)/.*"), settings.stdout());
      assertFalse(Files.readString(console).contains(ROOT_PASSWORD));

      long t1 = System.nanoTime();
      Exec.run(SshCommand.asRoot(port, key, 3, "poweroff"));
      assertTrue(
          process.waitFor(30, TimeUnit.SECONDS),
          "rig vm run still runs 30 s after poweroff\n--- rig vm run\n"
              + Files.readString(console));
      long offMillis = (System.nanoTime() - t1) / 1_000_000;
      System.out.printf("poweroff in the guest -> rig vm run ended: %d ms%n", offMillis);
      String log = Files.readString(console);
      assertEquals(0, process.exitValue(), log);
      assertTrue(log.contains("booting with QEMU"), log);
      // The init stopped rig-init's services before it powered off (not a reset).
      assertTrue(log.contains("rig-init: run: all services stopped"), log);
      assertTrue(log.contains("reboot: Power down"), log);
      assertTrue(offMillis < 10_000, "poweroff took " + offMillis + " ms");
    }
  }

  /** Whether rig-init's status table has the service {@code hello} running and ready. */
  private static boolean helloReady(String table) {
    return table
        .lines()
        .map(line -> line.trim().split("\\s+"))
        .anyMatch(cols -> cols.length >= 5 && cols[0].equals("hello") && cols[4].equals("yes"));
  }

  /**
   * What making the VM used from the cache (its tool root, the kernel's .debs, rig-init's Java
   * tools) is in a usage record, the VM's own beside the image's: `rig cache gc` finds nothing
   * unused right after the build.
   */
  @Test
  void everythingTheVmBuildUsedIsInAUsageRecord() throws Exception {
    JsonNode report =
        new ObjectMapper()
            .readTree(
                RigRun.withCache(dir.resolve("cache-a"), List.of("cache", "--json")).ok().stdout());
    assertEquals(
        0, report.path("reclaimable").path("unusedEntries").asInt(), report.toPrettyString());
    List<String> images = new java.util.ArrayList<>();
    report.path("images").forEach(image -> images.add(image.path("reference").asText()));
    assertTrue(images.contains("vmt:latest (vm)"), images.toString());
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
      assertEquals(
          VmRunProcess.sha256(vm.resolve(name)),
          VmRunProcess.sha256(dir.resolve("vm-b/vmt").resolve(name)),
          name);
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
    assertNotEquals(
        VmRunProcess.sha256(vm.resolve("rootfs.ext4")),
        VmRunProcess.sha256(changed.resolve("rootfs.ext4")));
    assertEquals(
        VmRunProcess.sha256(vm.resolve("vmlinux")),
        VmRunProcess.sha256(changed.resolve("vmlinux")));
    assertEquals(
        VmRunProcess.sha256(vm.resolve("initrd.img")),
        VmRunProcess.sha256(changed.resolve("initrd.img")));
    Exec.Result motd =
        Exec.run(
            List.of("debugfs", "-R", "cat /etc/motd", changed.resolve("rootfs.ext4").toString()));
    assertEquals("changed\n", motd.stdout());
  }
}
