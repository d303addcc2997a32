package dev.rig.build.vm.run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds out whether KVM really runs a guest, not only whether {@code /dev/kvm} opens: on hosts that
 * are themselves VMs without working nested virtualization the device opens and a VM is created,
 * but the vCPU never gets a 64-bit guest going. The probe boots {@link KvmProbeImage} in QEMU with
 * the accelerator and CPU model a run would use and waits a short time for its long-mode marker on
 * the serial port.
 */
public record KvmProbe(Path devRoot, Duration timeout) {
  /** The CPU model a KVM run asks for: the host's, so the guest sees the real features. */
  public static final String CPU = "host";

  public static KvmProbe standard() {
    return new KvmProbe(Path.of("/dev"), Duration.ofSeconds(3));
  }

  /** The probe's answer; {@code qemu} empty means only the device node could be checked. */
  public KvmVerdict probe(Optional<Path> qemu) {
    long start = System.nanoTime();
    Path kvm = devRoot.resolve("kvm");
    if (!Files.exists(kvm)) {
      return KvmVerdict.fails(
          kvm
              + " does not exist (virtualization off in the firmware, kvm_intel/kvm_amd not"
              + " loaded, or a VM without nested virtualization)",
          since(start));
    }
    if (!Files.isReadable(kvm) || !Files.isWritable(kvm)) {
      return KvmVerdict.fails(
          kvm + " is not readable and writable by this user (add it to group kvm)", since(start));
    }
    if (qemu.isEmpty()) {
      return KvmVerdict.works(
          kvm + " opens; not probed further (no qemu-system-x86_64 to run the probe)",
          since(start));
    }
    try {
      return run(qemu.get(), List.of("-accel", "kvm", "-cpu", CPU), start);
    } catch (IOException e) {
      return KvmVerdict.fails("the probe could not run QEMU: " + e.getMessage(), since(start));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return KvmVerdict.fails("the probe was interrupted", since(start));
    }
  }

  /**
   * Boots the probe image with {@code acceleration} (QEMU's words for it); a test boots it with TCG
   * to show that the image itself reaches 64-bit mode.
   */
  KvmVerdict run(Path qemu, List<String> acceleration, long start)
      throws IOException, InterruptedException {
    Path image = Files.createTempFile("rig-kvm-probe-", ".bin");
    Process process = null;
    try {
      Files.write(image, KvmProbeImage.bytes());
      List<String> argv = new ArrayList<>(List.of(qemu.toString(), "-M", "microvm"));
      argv.addAll(acceleration);
      argv.addAll(
          List.of(
              "-m",
              "16",
              "-nodefaults",
              "-no-user-config",
              "-display",
              "none",
              "-no-reboot",
              "-bios",
              image.toString(),
              "-serial",
              "stdio"));
      process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.PIPE).start();
      process.getOutputStream().close();
      Capture serial = Capture.of(process.getInputStream());
      Capture errors = Capture.of(process.getErrorStream());
      long deadline = start + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        if (serial.text().contains(KvmProbeImage.LONG_MODE_MARKER)) {
          return KvmVerdict.works(
              "KVM ran the probe guest into 64-bit mode in " + millis(since(start)), since(start));
        }
        if (process.waitFor(20, TimeUnit.MILLISECONDS)) {
          serial.join();
          errors.join();
          if (serial.text().contains(KvmProbeImage.LONG_MODE_MARKER)) {
            return KvmVerdict.works(
                "KVM ran the probe guest into 64-bit mode in " + millis(since(start)),
                since(start));
          }
          return KvmVerdict.fails(exited(serial.text(), errors.text()), since(start));
        }
      }
      return KvmVerdict.fails(
          "/dev/kvm opens and a VM is created, but the probe guest "
              + progress(serial.text())
              + " and then did not reach 64-bit mode within "
              + millis(timeout)
              + " (the vCPU does not run: nested virtualization that does not work)",
          since(start));
    } finally {
      if (process != null) {
        process.destroyForcibly();
        process.waitFor(2, TimeUnit.SECONDS);
      }
      Files.deleteIfExists(image);
    }
  }

  /** Why QEMU ended before the marker, from what the guest and QEMU said. */
  private static String exited(String serial, String errors) {
    String firstError =
        errors
            .lines()
            .filter(line -> !line.contains("warning:"))
            .findFirst()
            .map(String::strip)
            .orElse("");
    if (!firstError.isEmpty()) {
      return "QEMU with -accel kvm -cpu " + CPU + " failed: " + firstError;
    }
    if (serial.contains("P")) {
      return "/dev/kvm opens and the probe guest ran in 16- and 32-bit mode, but the vCPU reset"
          + " on entering 64-bit mode (nested virtualization that cannot run a 64-bit guest)";
    }
    return "QEMU with -accel kvm ended before the probe guest " + progress(serial);
  }

  private static String progress(String serial) {
    if (serial.contains("P")) {
      return "reached 32-bit mode";
    }
    if (serial.contains("R")) {
      return "ran its first instructions";
    }
    return "ran no instruction";
  }

  private static String millis(Duration duration) {
    return duration.toMillis() + " ms";
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** A stream read to its end on a daemon thread, so that a silent QEMU never blocks the probe. */
  private static final class Capture {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Thread thread;

    private Capture(InputStream in) {
      this.thread =
          new Thread(
              () -> {
                byte[] buffer = new byte[256];
                try (in) {
                  int n;
                  while ((n = in.read(buffer)) > 0) {
                    synchronized (bytes) {
                      bytes.write(buffer, 0, n);
                    }
                  }
                } catch (IOException e) {
                  // QEMU was stopped: what was read so far is the answer
                }
              },
              "rig-kvm-probe-reader");
      thread.setDaemon(true);
      thread.start();
    }

    static Capture of(InputStream in) {
      return new Capture(in);
    }

    String text() {
      synchronized (bytes) {
        return bytes.toString(StandardCharsets.ISO_8859_1);
      }
    }

    void join() throws InterruptedException {
      thread.join(1000);
    }
  }
}
