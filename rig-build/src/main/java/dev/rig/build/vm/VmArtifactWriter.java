package dev.rig.build.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.build.event.BuildEvent;
import dev.rig.build.event.BuildListener;
import dev.rig.build.packages.VmPackages;
import dev.rig.build.result.BuiltImage;
import dev.rig.build.rootfs.ImageRoot;
import dev.rig.oci.compress.Compression;
import dev.rig.oci.io.TempNames;
import dev.rig.spec.ImageSpec;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes the microVM form of a built image into {@code DIR/NAME/}: {@code bzImage} and {@code
 * vmlinux} from the locked kernel package, {@code initrd.img} (busybox and the virtio modules),
 * {@code rootfs.ext4} from the image's layers, and {@code vm.json}, which hypervisor launchers
 * read. The directory is assembled under a temporary name and renamed into place.
 */
public final class VmArtifactWriter {
  /**
   * Modules the guest needs before its root is mounted, by module name; built-in ones are skipped.
   */
  static final List<String> BOOT_MODULES =
      List.of(
          "virtio_mmio",
          "virtio_pci",
          "virtio_blk",
          "ext4",
          "virtio_net",
          "vmw_vsock_virtio_transport",
          // Seeds the kernel's random pool at once: sshd's host keys wait for it otherwise.
          "virtio_rng",
          "af_packet",
          // The power button reaches the guest as an input event that acpid reads.
          "button",
          "evdev");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final VmPackages packages;
  private final BuildListener listener;
  private final Instant created;

  public VmArtifactWriter(VmPackages packages, BuildListener listener, Instant created) {
    this.packages = packages;
    this.listener = listener;
    this.created = created;
  }

  /** What was written for one image. */
  public record Written(Path dir, Map<String, Long> sizes, Duration took) {}

  /** Writes {@code image}'s artifacts into {@code out/NAME}, replacing what was there. */
  public Written write(ImageSpec spec, BuiltImage image, Path out) throws IOException {
    long start = System.nanoTime();
    listener.on(
        new BuildEvent.PhaseStarted(
            spec.name(), BuildEvent.Phase.VM, 0, BuildEvent.Unit.ITEMS, ""));
    Files.createDirectories(out);
    Path work = out.resolve(TempNames.prefix() + spec.name() + "-" + UUID.randomUUID());
    Path target = out.resolve(spec.name());
    try {
      Files.createDirectories(work);
      KernelFiles kernel = KernelFiles.read(packages.kernelDebs(spec), spec.vm().kernelPackage());
      Files.write(work.resolve("bzImage"), kernel.bzImage());
      Files.write(
          work.resolve("vmlinux"),
          Vmlinux.extract(kernel.bzImage(), spec.vm().kernelPackage() + " " + kernel.version()));
      Path tools = packages.toolRoot(spec);
      RuntimeCommand command = RuntimeCommand.of(image.image().configJson());
      writeInitrd(
          work.resolve("initrd.img"),
          kernel,
          tools,
          command,
          spec.name(),
          spec.runtime().shmMinimumMib());
      Path files = work.resolve("files");
      Files.createDirectories(files);
      LayerUnpacker.unpack(image.image().layers(), files);
      addGuestFiles(files);
      Optional<NvidiaGuestDriver.Added> nvidia = Optional.empty();
      if (spec.vm().nvidiaDriver()) {
        nvidia =
            Optional.of(
                new NvidiaGuestDriver(packages, listener, created).add(spec, kernel, files));
      }
      UUID uuid = diskUuid(image);
      RootDisk.make(
          packages,
          tools,
          files,
          work.resolve("rootfs.ext4"),
          RootDisk.sizeMiB(files, spec.vm()),
          uuid,
          created.getEpochSecond(),
          spec.name());
      ImageRoot.deleteTree(files);
      Files.write(work.resolve("vm.json"), vmJson(spec, nvidia));
      Map<String, Long> sizes = new LinkedHashMap<>();
      for (String name : List.of("vmlinux", "bzImage", "initrd.img", "rootfs.ext4", "vm.json")) {
        sizes.put(name, Files.size(work.resolve(name)));
      }
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        Path old = out.resolve(TempNames.prefix() + spec.name() + "-old-" + UUID.randomUUID());
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        ImageRoot.deleteTree(old);
      }
      Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      listener.on(
          new BuildEvent.PhaseDone(
              spec.name(),
              BuildEvent.Phase.VM,
              took,
              sizes.size(),
              sizes.values().stream().mapToLong(Long::longValue).sum(),
              false,
              "kernel " + kernel.version() + ", VM artifacts in " + target));
      return new Written(target, sizes, took);
    } finally {
      ImageRoot.deleteTree(work);
    }
  }

  /** The image's entrypoint, environment and working directory, read from its config. */
  record RuntimeCommand(List<String> argv, Map<String, String> env, String workingDir) {
    static RuntimeCommand of(byte[] configJson) throws IOException {
      JsonNode config = JSON.readTree(configJson).path("config");
      List<String> argv = new ArrayList<>();
      config.path("Entrypoint").forEach(word -> argv.add(word.asText()));
      config.path("Cmd").forEach(word -> argv.add(word.asText()));
      if (argv.isEmpty()) {
        argv.add("/bin/sh");
      }
      Map<String, String> env = new LinkedHashMap<>();
      for (JsonNode entry : config.path("Env")) {
        String text = entry.asText();
        int eq = text.indexOf('=');
        if (eq > 0) {
          env.put(text.substring(0, eq), text.substring(eq + 1));
        }
      }
      String dir = config.path("WorkingDir").asText("");
      return new RuntimeCommand(argv, env, dir.isEmpty() ? "/" : dir);
    }
  }

  private void writeInitrd(
      Path file,
      KernelFiles kernel,
      Path tools,
      RuntimeCommand command,
      String hostname,
      int shmMiB)
      throws IOException {
    List<String> order = kernel.loadOrder(BOOT_MODULES);
    NewcArchive cpio =
        new NewcArchive()
            .directory("bin")
            .directory("dev")
            .directory("lib")
            .directory("lib/modules")
            .directory("newroot")
            .directory("proc")
            .directory("sys")
            .charDevice("dev/console", 0600, 5, 1)
            .file("bin/busybox", 0755, ImageRoot.of(tools).readAllBytes("/bin/busybox"))
            .file(
                "init",
                0755,
                InitScript.of(
                        order,
                        command.argv(),
                        command.env(),
                        command.workingDir(),
                        hostname,
                        shmMiB)
                    .getBytes(StandardCharsets.UTF_8));
    for (String module : order) {
      cpio.file("lib/modules/" + module + ".ko", 0644, kernel.module(module).orElseThrow());
    }
    try (OutputStream out =
        Compression.GZIP.compress(new BufferedOutputStream(Files.newOutputStream(file)))) {
      cpio.writeTo(out);
    }
  }

  /** What the guest has beyond the image: a {@code poweroff} that asks the VM's init. */
  private void addGuestFiles(Path files) throws IOException {
    ImageRoot root = ImageRoot.of(files);
    byte[] script = InitScript.poweroff().getBytes(StandardCharsets.UTF_8);
    for (String name : List.of("poweroff", "reboot", "halt")) {
      root.write("/usr/local/sbin/" + name, script, 0755);
      Path written = root.resolve("/usr/local/sbin/" + name);
      Files.getFileAttributeView(written, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setTimes(FileTime.from(created), FileTime.from(created), null);
    }
    Path dir = root.resolve("/usr/local/sbin");
    Files.getFileAttributeView(dir, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
        .setTimes(FileTime.from(created), FileTime.from(created), null);
  }

  /** A function of the image's digest: the same image gets the same disk UUID on any host. */
  static UUID diskUuid(BuiltImage image) {
    return UUID.nameUUIDFromBytes(
        ("rig-vm-rootfs " + image.digest()).getBytes(StandardCharsets.UTF_8));
  }

  private byte[] vmJson(ImageSpec spec, Optional<NvidiaGuestDriver.Added> nvidia)
      throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("image", spec.name());
    json.put("vcpus", spec.vm().vcpus());
    json.put("memoryMiB", spec.vm().memoryMiB());
    json.put("kernelCmdline", kernelCmdline(spec));
    json.put("rootDevice", "/dev/vda");
    Map<String, Object> gpu = new LinkedHashMap<>();
    gpu.put("vfioBind", spec.vm().vfioBind());
    gpu.put("nvidiaDriver", nvidia.map(NvidiaGuestDriver.Added::json).orElse(null));
    json.put("gpu", gpu);
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json);
  }

  /**
   * The kernel command line the artifacts boot with: a serial console, the root disk, no reboot
   * loop.
   */
  static String kernelCmdline(ImageSpec spec) {
    List<String> words =
        new ArrayList<>(List.of("console=ttyS0", "root=/dev/vda", "rw", "panic=-1", "quiet"));
    words.addAll(spec.vm().cmdline());
    return String.join(" ", words);
  }
}
