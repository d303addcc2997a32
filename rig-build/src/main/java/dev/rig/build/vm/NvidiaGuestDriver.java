package dev.rig.build.vm;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.apt.deb.DataEntry;
import dev.rig.apt.deb.DebArchive;
import dev.rig.build.event.BuildEvent;
import dev.rig.build.event.BuildListener;
import dev.rig.build.packages.PackageNotFoundException;
import dev.rig.build.packages.VmPackages;
import dev.rig.build.rootfs.ImageRoot;
import dev.rig.spec.ImageSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Puts the guest's NVIDIA driver into the VM's root files (the disk only: the container image stays
 * without it, since a container gets the host's driver): the modules built for the guest kernel
 * under {@code /lib/modules/KVER/updates/dkms/} with the kernel modules they need and a depmod
 * index (so {@code modprobe nvidia} works), the GSP firmware, the user-space driver of the same
 * version (libcuda, NVML, nvidia-smi) and {@code /usr/lib/rig/vm-nvidia.json} saying what it was
 * built for. Every file and every directory touched gets the image's time, so the disk stays a
 * function of the spec and the lock.
 */
final class NvidiaGuestDriver {
  /** Where the guest reads what the driver was built for. */
  static final String INFO_PATH = "/usr/lib/rig/vm-nvidia.json";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MULTIARCH = "/usr/lib/x86_64-linux-gnu/";

  /**
   * What update-alternatives would link for Debian's nvidia-alternative: the libraries on the
   * loader's path and nvidia-smi on PATH.
   */
  private static final Map<String, String> LINKS =
      Map.of(
          MULTIARCH + "libcuda.so.1",
          "nvidia/current/libcuda.so.1",
          MULTIARCH + "libnvidia-ml.so.1",
          "nvidia/current/libnvidia-ml.so.1",
          MULTIARCH + "libnvidia-ptxjitcompiler.so.1",
          "nvidia/current/libnvidia-ptxjitcompiler.so.1",
          "/usr/bin/nvidia-smi",
          "../lib/nvidia/current/nvidia-smi");

  private final VmPackages packages;
  private final BuildListener listener;
  private final Instant created;

  NvidiaGuestDriver(VmPackages packages, BuildListener listener, Instant created) {
    this.packages = packages;
    this.listener = listener;
    this.created = created;
  }

  /**
   * What was added: the driver's version, the kernel it is for and whether the build was cached.
   */
  record Added(String driverVersion, String kernelVersion, boolean cached, long millis) {
    Map<String, Object> json() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("driverVersion", driverVersion);
      json.put("kernel", kernelVersion);
      json.put("modules", NvidiaModules.MODULES);
      json.put("moduleDir", "/lib/modules/" + kernelVersion + "/updates/dkms");
      json.put("firmwareDir", "/lib/firmware/nvidia/" + driverVersion);
      json.put("verifiedOnHardware", false);
      return json;
    }
  }

  /** Adds the driver for {@code kernel} to {@code files}, the unpacked root of the VM disk. */
  Added add(ImageSpec spec, KernelFiles kernel, Path files) throws IOException {
    String kver = kernel.version();
    // The driver first: a distribution without non-free fails here, before the compile tools
    // (gcc, the headers: a few hundred MB) are installed.
    Map<String, VmPackages.LockedDeb> debs;
    try {
      debs = packages.nvidiaDriverDebs(spec);
    } catch (PackageNotFoundException e) {
      throw new NvidiaDriverException(
          "Debian's NVIDIA driver packages ("
              + String.join(", ", VmPackages.NVIDIA_DRIVER)
              + ") are not in the image's distributions: "
              + e.getMessage(),
          "the image's distributions need the non-free and non-free-firmware components (the"
              + " debian:trixie default has them), or set gpu.nvidiaDriver = false",
          e);
    }
    for (String name : VmPackages.NVIDIA_DRIVER) {
      if (!debs.containsKey(name)) {
        throw new NvidiaDriverException(
            "the lock has no " + name + " for the guest NVIDIA driver",
            "add non-free to the image's distributions components, or set gpu.nvidiaDriver ="
                + " false");
      }
    }
    String driverVersion = upstreamVersion(debs.get("nvidia-kernel-dkms").version());
    for (String name : VmPackages.NVIDIA_DRIVER) {
      if (!upstreamVersion(debs.get(name).version()).equals(driverVersion)) {
        throw new NvidiaDriverException(
            name
                + " "
                + debs.get(name).version()
                + " does not match nvidia-kernel-dkms "
                + debs.get("nvidia-kernel-dkms").version(),
            "the module and the user-space driver must be one version: update the lock (rig lock"
                + " --update)");
      }
    }
    VmPackages.ModuleTools tools;
    try {
      tools = packages.nvidiaTools(spec, kver);
    } catch (PackageNotFoundException e) {
      throw new NvidiaDriverException(
          "no kernel headers for the guest kernel "
              + kver
              + " (from vm.kernelPackage "
              + spec.vm().kernelPackage()
              + "): "
              + e.getMessage(),
          "pick a vm.kernelPackage whose linux-headers-"
              + kver
              + " is in the image's distributions, or set gpu.nvidiaDriver = false",
          e);
    }
    NvidiaModules.Built built =
        new NvidiaModules(packages, listener)
            .build(spec.name(), kver, tools, debs.get("nvidia-kernel-dkms"), driverVersion);
    listener.on(
        new BuildEvent.Notice(
            spec.name(),
            "NVIDIA "
                + driverVersion
                + " modules for kernel "
                + kver
                + (built.cached() ? ": cached" : ": built in " + built.took().toMillis() + " ms"),
            false));
    Set<Path> touched = new TreeSet<>();
    addModules(kernel, built, tools.root(), files, touched);
    for (String name : VmPackages.NVIDIA_DRIVER) {
      if (!name.equals("nvidia-kernel-dkms")) {
        extractData(debs.get(name).file(), files, touched);
      }
    }
    ImageRoot root = ImageRoot.of(files);
    for (Map.Entry<String, String> link : new TreeMap<>(LINKS).entrySet()) {
      Path at = root.resolveLink(link.getKey());
      Files.createDirectories(at.getParent());
      root.delete(link.getKey());
      Files.createSymbolicLink(at, Path.of(link.getValue()));
      touched.add(at);
    }
    Added added = new Added(driverVersion, kver, built.cached(), built.took().toMillis());
    root.write(
        INFO_PATH, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(added.json()), 0644);
    touched.add(root.resolve(INFO_PATH));
    stamp(files, touched);
    return added;
  }

  /**
   * The built modules, the kernel modules they depend on (as the kernel package ships them) and the
   * index depmod makes of them, copied into the disk's module tree for {@code kver}.
   */
  private void addModules(
      KernelFiles kernel, NvidiaModules.Built built, Path toolRoot, Path files, Set<Path> touched)
      throws IOException {
    String kver = kernel.version();
    Path stage = files.resolveSibling("nvidia-modules-" + UUID.randomUUID());
    try {
      String tree = "lib/modules/" + kver + "/";
      ImageRoot staged = ImageRoot.of(Files.createDirectories(stage));
      List<String> needed = new ArrayList<>();
      for (String module : NvidiaModules.MODULES) {
        byte[] bytes = Files.readAllBytes(built.module(module));
        staged.write("/" + tree + "updates/dkms/" + module + ".ko", bytes, 0644);
        needed.addAll(KernelFiles.dependencies(bytes));
      }
      for (String module : kernel.loadOrder(needed)) {
        KernelFiles.ModuleFile file = kernel.modules().get(module);
        String path = file.path().startsWith("usr/") ? file.path().substring(4) : file.path();
        staged.write("/" + path, file.shipped(), 0644);
      }
      for (Map.Entry<String, byte[]> builtin : kernel.builtins().entrySet()) {
        staged.write("/" + tree + builtin.getKey(), builtin.getValue(), 0644);
      }
      // depmod may look under /usr/lib/modules or /lib/modules, by how kmod was configured.
      Files.createDirectories(stage.resolve("usr/lib"));
      Files.createSymbolicLink(stage.resolve("usr/lib/modules"), Path.of("../../lib/modules"));
      VmPackages.ToolRun run =
          packages.run(
              toolRoot,
              List.of("depmod", "-b", "/tmp/rig-modules", kver),
              Map.of("/tmp/rig-modules", stage),
              120);
      if (run.exitCode() != 0 || !Files.isRegularFile(stage.resolve(tree + "modules.dep"))) {
        throw new NvidiaDriverException(
            "depmod could not index the guest modules for kernel "
                + kver
                + " (exit "
                + run.exitCode()
                + "): "
                + run.output().strip(),
            "set gpu.nvidiaDriver = false to build the VM without the driver");
      }
      ImageRoot root = ImageRoot.of(files);
      Path from = stage.resolve(tree);
      try (Stream<Path> all = Files.walk(from)) {
        for (Path p : (Iterable<Path>) all.sorted()::iterator) {
          if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            String at = "/" + tree + from.relativize(p);
            root.write(at, Files.readAllBytes(p), 0644);
            touched.add(root.resolve(at));
          }
        }
      }
    } finally {
      ImageRoot.deleteTree(stage);
    }
  }

  /** Copies a .deb's files and links into the root, leaving out docs, man pages and bug scripts. */
  private static void extractData(Path deb, Path files, Set<Path> touched) throws IOException {
    ImageRoot root = ImageRoot.of(files);
    DebArchive.open(deb)
        .forEachDataEntry(
            (DataEntry entry, InputStream content) -> {
              String name =
                  entry.name().startsWith("./") ? entry.name().substring(2) : entry.name();
              if (name.isEmpty()
                  || name.startsWith("usr/share/")
                  || name.endsWith(".1.gz")
                  || entry.type() == DataEntry.Type.DIRECTORY) {
                return;
              }
              String path =
                  "/" + (name.endsWith("/") ? name.substring(0, name.length() - 1) : name);
              switch (entry.type()) {
                case FILE -> {
                  root.write(path, content.readAllBytes(), entry.mode() & 0755);
                  touched.add(root.resolve(path));
                }
                case SYMLINK -> {
                  Path at = root.resolveLink(path);
                  Files.createDirectories(at.getParent());
                  root.delete(path);
                  Files.createSymbolicLink(at, Path.of(entry.linkTarget()));
                  touched.add(at);
                }
                default -> {}
              }
            });
  }

  /**
   * Gives every added path and every directory above it the image's time: adding a file changed its
   * directory's time, which would make the disk depend on when it was built.
   */
  private void stamp(Path files, Set<Path> touched) throws IOException {
    FileTime time = FileTime.from(created);
    Set<Path> all = new TreeSet<>();
    for (Path p : touched) {
      for (Path at = p; at != null && at.startsWith(files); at = at.getParent()) {
        all.add(at);
      }
    }
    for (Path p : all) {
      Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setTimes(time, time, null);
    }
  }

  /** The upstream part of a Debian version: {@code 550.163.01} of {@code 550.163.01-2}. */
  static String upstreamVersion(String debianVersion) {
    String v =
        debianVersion.contains(":")
            ? debianVersion.substring(debianVersion.indexOf(':') + 1)
            : debianVersion;
    int dash = v.lastIndexOf('-');
    return dash < 0 ? v : v.substring(0, dash);
  }
}
