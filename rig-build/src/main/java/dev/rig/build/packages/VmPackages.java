package dev.rig.build.packages;

import dev.rig.apt.repo.IndexCache;
import dev.rig.build.event.BuildListener;
import dev.rig.build.lock.ImageLock;
import dev.rig.build.lock.LockInput;
import dev.rig.build.lock.LockStore;
import dev.rig.build.lock.LockedPackage;
import dev.rig.spec.ImageSpec;
import dev.rig.spec.SlimSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Debian packages a VM build takes besides the image's own, each set locked in rig.lock as the
 * image's build tools ({@code NAME/vm-tools}, {@code NAME/vm-kernel}) so that the VM's bytes are a
 * function of the spec and the lock: e2fsprogs (mke2fs makes the root disk) and busybox-static (the
 * initramfs's shell and tools), installed into a root the sandbox runs them from; and the guest
 * kernel package, whose .debs are only read. With {@code vm.gpu.nvidiaDriver}, two more sets: the
 * tools that compile the NVIDIA module ({@code NAME/vm-nvidia-tools}: the guest kernel's headers,
 * make, kmod), installed like the others, and Debian's NVIDIA driver packages ({@code
 * NAME/vm-nvidia}), whose .debs are only read.
 */
public final class VmPackages {
  /** Packages rig runs at build time to make the disk and the initramfs. */
  public static final List<String> TOOLS = List.of("e2fsprogs", "busybox-static");

  /**
   * Debian's NVIDIA driver packages whose files the guest gets: the module source (DKMS tree), the
   * GSP firmware, and the user-space driver that must match the module's version.
   */
  public static final List<String> NVIDIA_DRIVER =
      List.of(
          "nvidia-kernel-dkms",
          "firmware-nvidia-gsp",
          "libcuda1",
          "libnvidia-ptxjitcompiler1",
          "libnvidia-ml1",
          "nvidia-smi");

  private static final SlimSpec TOOLS_SLIM = new SlimSpec(true, true, true);

  private final Path cacheDir;
  private final IndexCache indexes;
  private final Instant created;
  private final RepoSources repoSources;
  private final LockStore locks;
  private final PackageInstaller installer;

  public VmPackages(
      Path cacheDir,
      Instant created,
      RepoSources repoSources,
      LockStore locks,
      BuildListener listener) {
    this.cacheDir = cacheDir;
    this.indexes = IndexCache.in(cacheDir.resolve("indexes"));
    this.created = created;
    this.repoSources = repoSources;
    this.locks = locks;
    this.installer = new PackageInstaller(cacheDir, created, listener);
  }

  /** A configured root holding {@link #TOOLS}, from the cache or installed now. */
  public Path toolRoot(ImageSpec spec) throws IOException {
    List<RepoSource> sources = sources(spec);
    ImageLock lock = lock(spec.name() + "/vm-tools", TOOLS, sources);
    return installer
        .install(
            spec.name() + "/vm-tools",
            lock,
            sources,
            TOOLS_SLIM,
            List.of(new InstallStages.Requested("vm-tools", TOOLS)),
            false)
        .root();
  }

  /** The .debs of the guest kernel: the kernel package and the linux-image packages it pulls. */
  public List<Path> kernelDebs(ImageSpec spec) throws IOException {
    List<RepoSource> sources = sources(spec);
    String kernel = spec.vm().kernelPackage();
    ImageLock lock = lock(spec.name() + "/vm-kernel", List.of(kernel), sources);
    String name = kernel.split("=")[0];
    List<LockedPackage> wanted = new ArrayList<>();
    for (LockedPackage p : lock.packages()) {
      if (p.name().equals(name) || p.name().startsWith("linux-image-")) {
        wanted.add(p);
      }
    }
    return List.copyOf(installer.download(spec.name() + "/vm-kernel", wanted, sources).values());
  }

  /** The cache root, where built guest modules are kept by the key of their inputs. */
  public Path cacheDir() {
    return cacheDir;
  }

  /**
   * A configured root with what compiles out-of-tree modules for kernel {@code kernelVersion}: its
   * headers (which pull the kernel's kbuild and gcc), make and kmod; {@code hashes} are the sha256
   * of every locked .deb, sorted, so that a key of them names the compiler and the headers.
   */
  public record ModuleTools(Path root, List<String> hashes) {}

  /** {@link ModuleTools} for {@code kernelVersion} (as in /lib/modules), from the cache or now. */
  public ModuleTools nvidiaTools(ImageSpec spec, String kernelVersion) throws IOException {
    List<RepoSource> sources = sources(spec);
    List<String> requests = List.of("linux-headers-" + kernelVersion, "make", "kmod");
    String key = spec.name() + "/vm-nvidia-tools";
    ImageLock lock = lock(key, requests, sources);
    Path root =
        installer
            .install(
                key,
                lock,
                sources,
                TOOLS_SLIM,
                List.of(new InstallStages.Requested("vm-nvidia-tools", requests)),
                false)
            .root();
    return new ModuleTools(
        root, lock.packages().stream().map(LockedPackage::sha256).sorted().toList());
  }

  /** The .debs of {@link #NVIDIA_DRIVER}, by package name, with their locked versions. */
  public Map<String, LockedDeb> nvidiaDriverDebs(ImageSpec spec) throws IOException {
    List<RepoSource> sources = sources(spec);
    String key = spec.name() + "/vm-nvidia";
    ImageLock lock = lock(key, NVIDIA_DRIVER, sources);
    List<LockedPackage> wanted =
        lock.packages().stream().filter(p -> NVIDIA_DRIVER.contains(p.name())).toList();
    Map<String, LockedDeb> debs = new TreeMap<>();
    installer
        .download(key, wanted, sources)
        .forEach((p, path) -> debs.put(p.name(), new LockedDeb(p.version(), p.sha256(), path)));
    return debs;
  }

  /** A downloaded .deb and what the lock says of it. */
  public record LockedDeb(String version, String sha256, Path file) {}

  /** What a tool run in the sandbox gave: its exit code and its output. */
  public record ToolRun(int exitCode, String output) {}

  /**
   * Runs {@code command} from {@code root} in the build sandbox; {@code outputs} are host
   * directories mounted writable at paths under /tmp.
   */
  public ToolRun run(
      Path root, List<String> command, Map<String, Path> outputs, long timeoutSeconds)
      throws IOException {
    return run(root, command, outputs, timeoutSeconds, created.getEpochSecond());
  }

  /** {@link #run(Path, List, Map, long)} with {@code SOURCE_DATE_EPOCH} set to {@code epoch}. */
  public ToolRun run(
      Path root, List<String> command, Map<String, Path> outputs, long timeoutSeconds, long epoch)
      throws IOException {
    Sandbox.Result result = Sandbox.of(root, epoch).run(command, Map.of(), outputs, timeoutSeconds);
    return new ToolRun(result.exitCode(), result.output());
  }

  private List<RepoSource> sources(ImageSpec spec) throws IOException {
    return repoSources.sources(spec.name(), spec.packages());
  }

  private ImageLock lock(String key, List<String> requests, List<RepoSource> sources)
      throws IOException {
    LockInput input = PackageResolver.input(requests, sources, false);
    return locks.toolsFor(
        key,
        input,
        pins -> {
          List<String> all = new ArrayList<>(requests);
          all.addAll(pins);
          // The index cache image resolves fill: no second fetch, decompress and parse.
          ImageLock fresh = PackageResolver.resolve(key, all, sources, false, Optional.of(indexes));
          return new ImageLock(input, fresh.packages(), fresh.indexes());
        });
  }
}
