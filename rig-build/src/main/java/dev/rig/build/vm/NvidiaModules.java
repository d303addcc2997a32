package dev.rig.build.vm;

import dev.rig.apt.deb.DataEntry;
import dev.rig.apt.deb.DebArchive;
import dev.rig.build.event.BuildEvent;
import dev.rig.build.event.BuildListener;
import dev.rig.build.packages.VmPackages;
import dev.rig.build.rootfs.ImageRoot;
import dev.rig.oci.io.TempNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Compiles Debian's NVIDIA kernel modules (the DKMS source tree of nvidia-kernel-dkms) for the
 * guest kernel with the kernel's own kbuild, in the build sandbox, from the locked headers and gcc:
 * never for the build host's kernel, and with fixed paths and a fixed SOURCE_DATE_EPOCH, so the .ko
 * bytes are a function of the locked packages. The result is kept in the cache under a key of those
 * packages' hashes, so a second build does not compile again.
 */
final class NvidiaModules {
  /** The modules the guest gets, in the order they load. */
  static final List<String> MODULES =
      List.of("nvidia", "nvidia-modeset", "nvidia-drm", "nvidia-uvm");

  /** The cache directory of built module sets, one folder per key. */
  static final String CACHE_DIR = "vm-modules";

  /** Bump when the way the modules are built changes, so old ones are not reused. */
  private static final String FORMAT = "rig-vm-nvidia-modules/2";

  // Where the sandbox sees the source: a fixed path, since it ends up in the objects' strings.
  private static final String BUILD_DIR = "/tmp/rig-nvidia";
  private static final long EPOCH = 0;
  private static final int LOG_TAIL_LINES = 40;

  private final VmPackages packages;
  private final BuildListener listener;

  NvidiaModules(VmPackages packages, BuildListener listener) {
    this.packages = packages;
    this.listener = listener;
  }

  /** A built set: the folder holding {@code NAME.ko} for each of {@link #MODULES}. */
  record Built(Path dir, boolean cached, Duration took) {
    Path module(String name) {
      return dir.resolve(name + ".ko");
    }
  }

  /**
   * The modules for {@code kernelVersion}, from the cache or compiled now from {@code source} (the
   * nvidia-kernel-dkms .deb) with {@code tools}.
   */
  Built build(
      String image,
      String kernelVersion,
      VmPackages.ModuleTools tools,
      VmPackages.LockedDeb source,
      String driverVersion)
      throws IOException {
    long start = System.nanoTime();
    Path cache = Files.createDirectories(packages.cacheDir().resolve(CACHE_DIR));
    String key = key(kernelVersion, tools, source);
    Path target = cache.resolve(key);
    listener.on(new BuildEvent.CacheUsed(image, target));
    if (Files.isDirectory(target)) {
      return new Built(target, true, Duration.ofNanos(System.nanoTime() - start));
    }
    Path work = cache.resolve(TempNames.prefix() + key + "-" + UUID.randomUUID());
    try {
      Path src = Files.createDirectories(work.resolve("src"));
      extractSource(source.file(), driverVersion, src);
      List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", script(), "sh"));
      command.add(kernelVersion);
      command.add(Integer.toString(Math.max(1, Runtime.getRuntime().availableProcessors())));
      command.add(String.join(" ", MODULES));
      VmPackages.ToolRun run =
          packages.run(tools.root(), command, Map.of(BUILD_DIR, work), 3600, EPOCH);
      if (run.exitCode() != 0) {
        throw new NvidiaDriverException(
            "the NVIDIA "
                + driverVersion
                + " kernel module did not build for kernel "
                + kernelVersion
                + " (exit "
                + run.exitCode()
                + "); the end of the make output:\n"
                + tail(run.output()),
            "a driver that does not build for this kernel needs another vm.kernelPackage (one"
                + " the driver supports) or gpu.nvidiaDriver = false");
      }
      Path out = Files.createDirectories(work.resolve("out"));
      for (String module : MODULES) {
        Path built = src.resolve(module + ".ko");
        if (!Files.isRegularFile(built)) {
          throw new NvidiaDriverException(
              "the NVIDIA build for kernel "
                  + kernelVersion
                  + " made no "
                  + module
                  + ".ko; the end of the make output:\n"
                  + tail(run.output()),
              "set gpu.nvidiaDriver = false to build the VM without the driver");
        }
        Files.move(built, out.resolve(module + ".ko"));
      }
      Files.move(out, target, StandardCopyOption.ATOMIC_MOVE);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      return new Built(target, false, took);
    } finally {
      ImageRoot.deleteTree(work);
    }
  }

  /**
   * The build, run by the sandbox's shell: the kernel's kbuild through NVIDIA's Makefile (as
   * Debian's dkms.conf does, but with the guest's kernel named, never {@code uname -r}), then the
   * debug sections stripped, as dkms does before it installs a module. The kernel's config asks for
   * debug info, which would be stripped anyway: turning it off on the command line (it only adds
   * compiler flags; vermagic and symbol versions come from the generated headers) saves about a
   * third of the compile.
   */
  private static String script() {
    return String.join(
        "\n",
        "set -e",
        "cd " + BUILD_DIR + "/src",
        "make -j\"$2\" modules KERNEL_UNAME=\"$1\" NV_KERNEL_MODULES=\"$3\" NV_VERBOSE=0"
            + " CONFIG_DEBUG_INFO= CONFIG_DEBUG_INFO_BTF="
            + " CONFIG_DEBUG_INFO_BTF_MODULES= 2>&1",
        "for m in $3; do strip --strip-debug \"$m.ko\"; done");
  }

  /** Copies the DKMS tree {@code usr/src/nvidia-current-VERSION/} of the .deb into {@code dir}. */
  private static void extractSource(Path deb, String driverVersion, Path dir) throws IOException {
    String prefix = "usr/src/nvidia-current-" + driverVersion + "/";
    ImageRoot root = ImageRoot.of(dir);
    int[] files = {0};
    DebArchive.open(deb)
        .forEachDataEntry(
            (DataEntry entry, InputStream content) -> {
              String name =
                  entry.name().startsWith("./") ? entry.name().substring(2) : entry.name();
              if (!name.startsWith(prefix) || name.length() == prefix.length()) {
                return;
              }
              String path = "/" + name.substring(prefix.length());
              switch (entry.type()) {
                case DIRECTORY -> root.createDirectories(path);
                case FILE -> {
                  root.write(path, content.readAllBytes(), entry.mode() & 0777);
                  files[0]++;
                }
                case SYMLINK -> {
                  Path link = root.resolveLink(path);
                  Files.createDirectories(link.getParent());
                  Files.createSymbolicLink(link, Path.of(entry.linkTarget()));
                }
                default -> {}
              }
            });
    if (files[0] == 0 || !Files.exists(dir.resolve("Makefile"), LinkOption.NOFOLLOW_LINKS)) {
      throw new NvidiaDriverException(
          "nvidia-kernel-dkms " + driverVersion + " has no source tree under /" + prefix,
          "lock a nvidia-kernel-dkms whose version matches the driver packages (rig lock --update)");
    }
  }

  private static String key(
      String kernelVersion, VmPackages.ModuleTools tools, VmPackages.LockedDeb source) {
    StringBuilder text = new StringBuilder(FORMAT);
    text.append("\nkernel ").append(kernelVersion);
    text.append("\nmodules ").append(String.join(" ", MODULES));
    text.append("\nsource ").append(source.sha256());
    tools.hashes().forEach(h -> text.append("\ntool ").append(h));
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String tail(String output) {
    List<String> lines = output.strip().lines().toList();
    return String.join(
        "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
  }
}
