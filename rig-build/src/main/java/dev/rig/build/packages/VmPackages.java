package dev.rig.build.packages;

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

/**
 * The Debian packages a VM build takes besides the image's own, each set locked in rig.lock as the
 * image's build tools ({@code NAME/vm-tools}, {@code NAME/vm-kernel}) so that the VM's bytes are a
 * function of the spec and the lock: e2fsprogs (mke2fs makes the root disk) and busybox-static (the
 * initramfs's shell and tools), installed into a root the sandbox runs them from; and the guest
 * kernel package, whose .debs are only read.
 */
public final class VmPackages {
  /** Packages rig runs at build time to make the disk and the initramfs. */
  public static final List<String> TOOLS = List.of("e2fsprogs", "busybox-static");

  private static final SlimSpec TOOLS_SLIM = new SlimSpec(true, true, true);

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

  /** What a tool run in the sandbox gave: its exit code and its output. */
  public record ToolRun(int exitCode, String output) {}

  /**
   * Runs {@code command} from {@code root} in the build sandbox; {@code outputs} are host
   * directories mounted writable at paths under /tmp.
   */
  public ToolRun run(
      Path root, List<String> command, Map<String, Path> outputs, long timeoutSeconds)
      throws IOException {
    Sandbox.Result result =
        Sandbox.of(root, created.getEpochSecond()).run(command, Map.of(), outputs, timeoutSeconds);
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
          ImageLock fresh = PackageResolver.resolve(key, all, sources, false);
          return new ImageLock(input, fresh.packages(), fresh.indexes());
        });
  }
}
