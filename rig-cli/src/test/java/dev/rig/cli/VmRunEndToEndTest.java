package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rig vm run --dir} boots a real kernel under real QEMU here: Debian's cloud kernel (fetched
 * once into target/e2e-cache/vm-kernel with the machine's apt) and a busybox initramfs this test
 * makes, whose init prints a marker and its kernel command line. KVM does not really work on these
 * machines, so the run must say so and emulate the CPU; a guest that powers off ends the run, and
 * SIGTERM to rig powers the VM off within a few seconds, leaving no QEMU behind. The key and
 * ROOT_PASSWORD reach the VM only on the run's read-only config disk (0600, removed with the run),
 * never on the command line the guest or the host's process list shows.
 */
class VmRunEndToEndTest {
  private static final String MARKER = "RIG-VM-BOOTED";
  private static final String KEY_BODY =
      "AAAAC3NzaC1lZDI1NTE5AAAAIHZtcnVudGVzdGtleWJ5dGVzMDEyMzQ1Njc4";
  private static final String ROOT_PASSWORD = "vm-run-root-pw-2718";
  private static Path kernel;

  @TempDir static Path temp;

  @BeforeAll
  static void fetchKernel() throws Exception {
    Path cache = Path.of("target", "e2e-cache", "vm-kernel").toAbsolutePath();
    Path vmlinuz = cache.resolve("vmlinuz");
    if (!Files.isRegularFile(vmlinuz)) {
      Files.createDirectories(cache);
      String depends = run(cache, List.of("apt-cache", "depends", "linux-image-cloud-amd64"));
      Matcher name = Pattern.compile("Depends: (linux-image-[^\\s]+-cloud-amd64)").matcher(depends);
      assertTrue(name.find(), depends);
      Path debs = Files.createDirectories(temp.resolve("debs"));
      run(
          debs,
          List.of("apt-get", "-q", "-o", "APT::Sandbox::User=root", "download", name.group(1)));
      Path deb;
      try (Stream<Path> files = Files.list(debs)) {
        deb = files.filter(p -> p.toString().endsWith(".deb")).findFirst().orElseThrow();
      }
      Path tree = Files.createDirectories(temp.resolve("kernel-tree"));
      run(
          tree,
          List.of(
              "sh",
              "-c",
              "dpkg-deb --fsys-tarfile \"$0\" | tar -x --wildcards './boot/vmlinuz-*'",
              deb.toString()));
      Path found;
      try (Stream<Path> files = Files.list(tree.resolve("boot"))) {
        found = files.findFirst().orElseThrow();
      }
      Path part = cache.resolve("vmlinuz.part");
      Files.copy(found, part);
      Files.move(part, vmlinuz);
    }
    kernel = vmlinuz;
  }

  /** A VM build folder: the kernel, a busybox initramfs, an empty disk and vm.json. */
  private static Path vmDir(String name, String extraCmdline) throws Exception {
    Path dir = Files.createDirectories(temp.resolve(name));
    Files.copy(kernel, dir.resolve("bzImage"));
    Files.copy(kernel, dir.resolve("vmlinux"));
    Path root = Files.createDirectories(temp.resolve(name + "-initramfs/bin"));
    Files.copy(Path.of("/bin/busybox"), root.resolve("busybox"));
    Files.createDirectories(root.resolveSibling("proc"));
    Path init = root.resolveSibling("init");
    Files.writeString(
        init,
        String.join(
            "\n",
            "#!/bin/busybox sh",
            "/bin/busybox mount -t proc proc /proc",
            "echo " + MARKER,
            "echo \"cmdline: $(/bin/busybox cat /proc/cmdline)\"",
            "case \" $(/bin/busybox cat /proc/cmdline) \" in",
            "  *' rig.test=poweroff '*) /bin/busybox poweroff -f ;;",
            "esac",
            "while true; do /bin/busybox sleep 1; done",
            ""));
    init.toFile().setExecutable(true);
    run(
        root.getParent(),
        List.of(
            "sh",
            "-c",
            "find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -n > \"$0\"",
            dir.resolve("initrd.img").toString()));
    run(dir, List.of("truncate", "-s", "4M", "rootfs.ext4"));
    Files.writeString(
        dir.resolve("vm.json"),
        "{\"image\": \""
            + name
            + "\", \"vcpus\": 1, \"memoryMiB\": 256, \"kernelCmdline\": \"console=ttyS0"
            + " root=/dev/vda rw panic=-1 quiet"
            + extraCmdline
            + "\", \"rootDevice\": \"/dev/vda\", \"gpu\": {\"vfioBind\": false}}");
    return dir;
  }

  private static Path publicKey() throws IOException {
    Path key = temp.resolve("id.pub");
    if (!Files.exists(key)) {
      Files.writeString(key, "ssh-ed25519 " + KEY_BODY + " vm@test\n");
    }
    return key;
  }

  /** `rig vm run` in a JVM of its own, so that it can be sent SIGTERM. */
  private static Rig start(Path dir, String... more) throws IOException {
    List<String> argv =
        VmRunProcess.command(
            "--dir", dir.toString(), "--ssh-key", publicKey().toString(), "--env", "ROOT_PASSWORD");
    argv.addAll(List.of(more));
    ProcessBuilder builder = new ProcessBuilder(argv);
    builder.environment().put("ROOT_PASSWORD", ROOT_PASSWORD);
    Process process = builder.start();
    process.getOutputStream().close();
    return new Rig(
        process, Output.of(process.getInputStream()), Output.of(process.getErrorStream()));
  }

  @Test
  void aGuestThatPowersOffEndsTheRunWithNoSettingOnItsCommandLine() throws Exception {
    Rig rig = start(vmDir("poweroff", " rig.test=poweroff"));
    assertTrue(rig.waitFor(90), rig.describe());
    assertEquals(0, rig.process().exitValue(), rig.describe());
    String console = rig.out().text();
    assertTrue(console.contains(MARKER), rig.describe());
    assertTrue(console.contains("cmdline: "), rig.describe());
    String cmdline = console.substring(console.indexOf("cmdline: ")).lines().findFirst().get();
    assertTrue(cmdline.contains(" rig.config=/dev/vdb"), cmdline);
    assertFalse(cmdline.contains("rig.env="), cmdline);
    assertFalse(rig.describe().contains(KEY_BODY), rig.describe());
    assertFalse(rig.describe().contains(ROOT_PASSWORD), rig.describe());
    String err = rig.err().text();
    if (!"1".equals(System.getenv("RIG_TEST_KVM_WORKS"))) {
      assertTrue(err.contains("booting with QEMU without KVM (TCG)"), rig.describe());
      assertTrue(err.contains("KVM does not work: "), rig.describe());
    }
    assertTrue(err.contains("the VM ended (exit code 0)"), rig.describe());
  }

  @Test
  void sigtermPowersTheVmOffWithinSecondsAndLeavesNoQemu() throws Exception {
    Rig rig = start(vmDir("running", ""), "--stop-timeout", "1");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!rig.out().text().contains(MARKER) && System.nanoTime() < deadline) {
      assertTrue(rig.process().isAlive(), rig.describe());
      Thread.sleep(100);
    }
    assertTrue(rig.out().text().contains(MARKER), rig.describe());
    Matcher started =
        Pattern.compile("started \\(pid (\\d+)\\); SSH: ssh -p (\\d+) root@127.0.0.1")
            .matcher(rig.err().text());
    assertTrue(started.find(), rig.describe());
    long qemuPid = Long.parseLong(started.group(1));
    int port = Integer.parseInt(started.group(2));
    // The forward listens on loopback (the guest has no sshd: QEMU accepts, then drops it).
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      assertTrue(socket.isConnected());
    }
    String qemuCommand = ProcessHandle.of(qemuPid).flatMap(h -> h.info().commandLine()).orElse("");
    Matcher control = Pattern.compile("unix:(\\S+)/control\\.sock").matcher(qemuCommand);
    assertTrue(control.find(), qemuCommand);
    Path runDir = Path.of(control.group(1));
    assertTrue(Files.isDirectory(runDir), runDir.toString());
    // The settings are on the run's config disk, attached read-only, readable by its owner only.
    assertFalse(qemuCommand.contains(KEY_BODY) || qemuCommand.contains(ROOT_PASSWORD), qemuCommand);
    Path disk = runDir.resolve("config.img");
    assertTrue(
        qemuCommand.contains("id=config,file=" + disk + ",format=raw,if=none,readonly=on"),
        qemuCommand);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(disk)));
    byte[] bytes = Files.readAllBytes(disk);
    String header = new String(bytes, 0, 512, StandardCharsets.US_ASCII);
    assertTrue(header.startsWith("RIGCFG1 "), header);
    int length = Integer.parseInt(header.substring(8, header.indexOf('\n')));
    String settings =
        new String(
            Base64.getDecoder().decode(Arrays.copyOfRange(bytes, 512, 512 + length)),
            StandardCharsets.UTF_8);
    assertTrue(settings.contains("ROOT_PASSWORD=" + ROOT_PASSWORD + "\n"), "settings on the disk");
    assertTrue(settings.contains("SSH_PUBLIC_KEYS=ssh-ed25519 " + KEY_BODY + " vm@test\n"));
    long stop = System.nanoTime();
    // SIGTERM through the handle: Process.destroy would also close our ends of its pipes.
    rig.process().toHandle().destroy();
    assertTrue(rig.waitFor(10), rig.describe());
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stop);
    assertTrue(millis < 6000, "rig took " + millis + " ms to stop\n" + rig.describe());
    Optional<ProcessHandle> qemu = ProcessHandle.of(qemuPid);
    assertFalse(qemu.isPresent() && qemu.get().isAlive(), "QEMU " + qemuPid + " still runs");
    assertTrue(rig.err().text().contains("asking the guest to power off"), rig.describe());
    assertFalse(Files.exists(runDir), runDir + ", the run's temp folder, is left behind");
  }

  private record Rig(Process process, Output out, Output err) {
    /** Waits for the process and then for the last of its output. */
    boolean waitFor(long seconds) throws InterruptedException {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        return false;
      }
      out.join();
      err.join();
      return true;
    }

    String describe() {
      return (process.isAlive() ? "running" : "exit " + process.exitValue())
          + "\n--- stdout\n"
          + out.text()
          + "\n--- stderr\n"
          + err.text();
    }
  }

  /** A child's stream collected on a daemon thread. */
  private static final class Output {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private Thread thread;

    void join() throws InterruptedException {
      thread.join(5000);
    }

    static Output of(InputStream in) {
      Output output = new Output();
      Thread thread =
          new Thread(
              () -> {
                byte[] buffer = new byte[4096];
                try (in) {
                  int n;
                  while ((n = in.read(buffer)) > 0) {
                    synchronized (output.bytes) {
                      output.bytes.write(buffer, 0, n);
                    }
                  }
                } catch (IOException e) {
                  // the process ended
                }
              });
      thread.setDaemon(true);
      thread.start();
      output.thread = thread;
      return output;
    }

    String text() {
      synchronized (bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
      }
    }
  }

  private static String run(Path dir, List<String> argv) throws Exception {
    Process process =
        new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(300, TimeUnit.SECONDS), argv + "\n" + output);
    assertEquals(0, process.exitValue(), argv + "\n" + output);
    return output;
  }
}
