package dev.rig.build.packages;

import dev.rig.apt.control.PackageRecord;
import dev.rig.apt.dpkg.ImageAptSources;
import dev.rig.apt.repo.IndexCache;
import dev.rig.build.base.BaseException;
import dev.rig.build.base.BaseImages;
import dev.rig.build.base.BaseRoot;
import dev.rig.build.base.BaseSystem;
import dev.rig.build.base.ResolvedBase;
import dev.rig.build.cuda.CudaSetup;
import dev.rig.build.event.BuildEvent;
import dev.rig.build.event.BuildListener;
import dev.rig.build.lock.ImageLock;
import dev.rig.build.lock.LockInput;
import dev.rig.build.lock.LockStore;
import dev.rig.build.lock.LockedPackage;
import dev.rig.build.runtime.RuntimeLayer;
import dev.rig.oci.io.Tasks;
import dev.rig.oci.layer.LayerEntry;
import dev.rig.oci.layer.LayerInput;
import dev.rig.spec.AptRepositorySpec;
import dev.rig.spec.ImageSpec;
import dev.rig.spec.PackagesSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The packages part of a build: sources from the spec, the install set from rig.lock (resolving
 * when the lock has no entry yet), the configured root from the cache or from dpkg, and layers.
 *
 * <p>On a base image ({@code from}) the packages are resolved against what the base has installed,
 * installed by the base's own dpkg on top of its unpacked root, and only what changed becomes a
 * layer; the base's layers stay as they are.
 */
public final class PackageStage {
  /** The Pkl default of {@code distributions}: on a base, the base's own release replaces it. */
  private static final List<String> DEFAULT_DISTRIBUTIONS = List.of("debian:trixie");

  private final Path cacheDir;
  private final Optional<BaseImages> bases;

  /** Bases read so far, by image; shared with {@link #at} copies, so each is read once. */
  private final Map<String, Optional<OnBase>> onBase;

  private final RepoSources repoSources;
  private final LockStore locks;
  private final PackageInstaller installer;
  private final IndexCache indexes;
  private final BuildListener listener;
  private final LinkedJava java;

  public PackageStage(
      Path cacheDir,
      Instant created,
      RepoSources repoSources,
      LockStore locks,
      BuildListener listener) {
    this(cacheDir, created, repoSources, locks, listener, Optional.empty());
  }

  /**
   * @param bases loads the base image of a spec with {@code from}; without it, packages on a base
   *     are an error
   */
  public PackageStage(
      Path cacheDir,
      Instant created,
      RepoSources repoSources,
      LockStore locks,
      BuildListener listener,
      Optional<BaseImages> bases) {
    this(cacheDir, created, repoSources, locks, listener, bases, new HashMap<>());
  }

  private PackageStage(
      Path cacheDir,
      Instant created,
      RepoSources repoSources,
      LockStore locks,
      BuildListener listener,
      Optional<BaseImages> bases,
      Map<String, Optional<OnBase>> onBase) {
    this.onBase = onBase;
    this.cacheDir = cacheDir;
    this.bases = bases;
    this.repoSources = repoSources;
    this.locks = locks;
    this.installer = new PackageInstaller(cacheDir, created, listener);
    this.indexes = IndexCache.in(cacheDir.resolve("indexes"));
    this.listener = listener;
    // The Java's phases run beside the image's own, so they get a scope of their own: a progress
    // display or --json reader then tells the two unpack and install phases apart.
    BuildListener javaEvents = LinkedJava.scoped(listener);
    this.java =
        new LinkedJava(
            cacheDir,
            created,
            new PackageInstaller(cacheDir, created, javaEvents),
            locks,
            indexes,
            javaEvents);
  }

  /**
   * This stage with {@code created} as the image's time (the time written into installed files),
   * the bases it has read kept.
   */
  public PackageStage at(Instant created) {
    return new PackageStage(cacheDir, created, repoSources, locks, listener, bases, onBase);
  }

  /** The image's package layers within {@code budget} layers; empty when it has no packages. */
  public List<LayerInput> layers(ImageSpec spec, int budget) throws IOException {
    return install(spec, budget).layers();
  }

  /**
   * An image's installed packages: their layers, the configured root they were read from (where
   * later steps run the image's own tools) and the lock they were installed from.
   */
  public record Installed(List<LayerInput> layers, Optional<Path> root, Optional<ImageLock> lock) {
    public Installed {
      layers = List.copyOf(layers);
    }
  }

  /** {@link #layers}, with the root and lock they came from; empty when it has no packages. */
  public Installed install(ImageSpec spec, int budget) throws IOException {
    return install(spec, budget, StageSink.NONE);
  }

  /**
   * {@link #install(ImageSpec, int)}, handing {@code sink} each install stage as it is finished
   * (see {@link StageSink}).
   */
  public Installed install(ImageSpec spec, int budget, StageSink sink) throws IOException {
    PackagesSpec packages = spec.packages();
    if (packages.isEmpty()) {
      return new Installed(List.of(), Optional.empty(), Optional.empty());
    }
    if (!spec.platform().equals("linux/" + PackageResolver.ARCHITECTURE)) {
      throw new PackageException(
          "image '"
              + spec.name()
              + "': packages are resolved for linux/"
              + PackageResolver.ARCHITECTURE
              + " only, and the image's platform is "
              + spec.platform()
              + "; set platform = \"linux/amd64\" or drop `packages`");
    }
    Optional<OnBase> base = onBase(spec);
    List<RepoSource> sources = sources(spec, base);
    ImageLock lock = lock(spec, sources, base);
    InstalledSystem system =
        installer.install(
            spec.name(),
            lock,
            sources,
            packages.slim(),
            InstallStages.requested(spec),
            packages.installRecommends(),
            base.map(b -> new PackageInstaller.BaseRootKey(b.system().root(), b.key())),
            sink);
    if (base.isPresent()) {
      // The base keeps its own apt sources; only the spec's own repositories are added.
      List<LayerEntry> top =
          new ArrayList<>(
              aptSources(sources.stream().filter(s -> !s.lockUri().endsWith(":")).toList()));
      top.addAll(CudaSetup.files(spec, system.root()));
      return new Installed(
          BaseDiff.layers(
              base.get().system().root(),
              system.root(),
              top,
              "packages on " + base.get().system().describe() + ": " + lock.packages().size()),
          Optional.of(system.root()),
          Optional.of(lock));
    }
    List<LayerEntry> top = new ArrayList<>(aptSources(sources));
    top.addAll(CudaSetup.files(spec, system.root()));
    return new Installed(
        PackageLayers.split(system, budget, top), Optional.of(system.root()), Optional.of(lock));
  }

  /** An image's installed packages and rig-init's Java runtime linked for it (when it has one). */
  public record InstalledWithJava(Installed installed, Optional<Path> java) {}

  /**
   * {@link #install}, and rig-init's Java runtime linked from the image's locked JDK, side by side:
   * rig-init's Java is linked from its own root, which shares nothing with the image's stages but
   * the .deb cache, so it runs on a thread of its own while the image installs and fills the time
   * the install leaves a core idle (dpkg and its scripts run on one core, and a stage waits for its
   * largest .deb). Both locks are resolved and recorded first, so the two threads only read
   * rig.lock.
   */
  public InstalledWithJava installWithJava(ImageSpec spec, int budget) throws IOException {
    return installWithJava(spec, budget, StageSink.NONE);
  }

  /** {@link #installWithJava(ImageSpec, int)}, handing {@code sink} each finished stage. */
  public InstalledWithJava installWithJava(ImageSpec spec, int budget, StageSink sink)
      throws IOException {
    if (spec.packages().isEmpty() || !spec.parts().runtime()) {
      return new InstalledWithJava(install(spec, budget, sink), Optional.empty());
    }
    lock(spec);
    List<RepoSource> sources = sources(spec, onBase(spec));
    ExecutorService thread = Tasks.daemonPool("rig-java", 1);
    Future<Path> linking = thread.submit(() -> java.link(spec, sources));
    boolean linked = false;
    try {
      Installed installed = install(spec, budget, sink);
      Path runtime = Tasks.await(linking, "linking rig-init's Java");
      linked = true;
      return new InstalledWithJava(installed, Optional.of(runtime));
    } finally {
      if (!linked) {
        // The install failed: stop the link too (its sandbox is killed on interrupt), and wait
        // for it, so that nothing of this build still runs when its failure is reported.
        linking.cancel(true);
      }
      thread.shutdownNow();
      try {
        thread.awaitTermination(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A spec's base, unpacked and read, with the identity its packages are locked against. */
  private record OnBase(BaseSystem system, String key) {}

  /** The base of a spec with {@code from} and packages, unpacked and read once per build. */
  private Optional<OnBase> onBase(ImageSpec spec) throws IOException {
    if (spec.from().isEmpty() || spec.packages().isEmpty()) {
      return Optional.empty();
    }
    if (onBase.containsKey(spec.name())) {
      return onBase.get(spec.name());
    }
    if (bases.isEmpty()) {
      throw new PackageException(
          "image '" + spec.name() + "' installs packages on a base, and this build has no bases");
    }
    ResolvedBase resolved = bases.get().load(spec);
    if (resolved.image().isEmpty()) {
      return Optional.empty();
    }
    long start = System.nanoTime();
    Path root = BaseRoot.unpacked(cacheDir, resolved.image().get());
    listener.on(new BuildEvent.CacheUsed(spec.name(), root));
    String reference =
        resolved.registrySource().map(Object::toString).orElse(spec.from().get().toString());
    BaseSystem system = BaseSystem.read(spec.name(), reference, root);
    if (!system.architecture().equals(PackageResolver.ARCHITECTURE)) {
      throw new BaseException(
          "image '"
              + spec.name()
              + "': its base "
              + reference
              + " is built for "
              + (system.architecture().isEmpty()
                  ? "an unknown architecture"
                  : system.architecture())
              + " (the architecture of its dpkg), and rig installs "
              + PackageResolver.ARCHITECTURE
              + " packages; use the base's linux/"
              + PackageResolver.ARCHITECTURE
              + " image (platform = \"linux/"
              + PackageResolver.ARCHITECTURE
              + "\")");
    }
    List<String> fromBase = new ArrayList<>();
    for (String request : requests(spec)) {
      system.installed(request).ifPresent(p -> fromBase.add(p.name() + " " + p.version()));
    }
    listener.on(
        new BuildEvent.BaseInspected(
            spec.name(),
            reference,
            system.describe(),
            system.installed().size(),
            fromBase,
            Duration.ofNanos(System.nanoTime() - start)));
    Optional<OnBase> found = Optional.of(new OnBase(system, BaseRoot.key(resolved.image().get())));
    onBase.put(spec.name(), found);
    return found;
  }

  /**
   * The image's sources: the spec's; on a base whose spec keeps the default distribution, the
   * base's own release (from /etc/os-release) at the user's mirror instead, so packages match what
   * the base has installed.
   */
  private List<RepoSource> sources(ImageSpec spec, Optional<OnBase> base) throws IOException {
    PackagesSpec packages = withCudaRepository(spec);
    if (base.isPresent() && packages.distributions().equals(DEFAULT_DISTRIBUTIONS)) {
      Optional<String> release = base.get().system().distribution();
      if (release.isEmpty() && packages.repositories().isEmpty()) {
        throw new BaseException(
            "image '"
                + spec.name()
                + "': its base is "
                + base.get().system().describe()
                + ", and its /etc/os-release names no Debian or Ubuntu release (ID and"
                + " VERSION_CODENAME) that rig can map to a mirror; set distributions (e.g."
                + " [\"debian:bookworm\"]) or repositories to where the base's packages come from");
      }
      packages =
          new PackagesSpec(
              packages.requests(),
              release.map(List::of).orElse(List.of()),
              packages.repositories(),
              packages.installRecommends(),
              packages.includeApt(),
              packages.slim(),
              packages.systemPackages(),
              packages.environment());
    }
    return repoSources.sources(spec.name(), packages);
  }

  /** The image's locked install set, resolved now when the lock store asks for it. */
  public ImageLock lock(ImageSpec spec) throws IOException {
    Optional<OnBase> base = onBase(spec);
    List<RepoSource> sources = sources(spec, base);
    if (spec.parts().runtime()) {
      java.lock(spec, sources);
    }
    return lock(spec, sources, base);
  }

  /**
   * The locked build tools rig-init's Java runtime is linked from; empty when the image has no
   * packages or no runtime.
   */
  public Optional<ImageLock> tools(ImageSpec spec) throws IOException {
    if (spec.packages().isEmpty() || !spec.parts().runtime()) {
      return Optional.empty();
    }
    return Optional.of(java.lock(spec, repoSources.sources(spec.name(), withCudaRepository(spec))));
  }

  /** The spec's package options with {@code cuda.repository} added to its repositories. */
  static PackagesSpec withCudaRepository(ImageSpec spec) {
    PackagesSpec packages = spec.packages();
    if (!spec.parts().cuda()
        || spec.cuda().repository().isEmpty()
        || packages.repositories().contains(spec.cuda().repository().get())) {
      return packages;
    }
    List<AptRepositorySpec> repositories = new ArrayList<>(packages.repositories());
    repositories.add(spec.cuda().repository().get());
    return new PackagesSpec(
        packages.requests(),
        packages.distributions(),
        repositories,
        packages.installRecommends(),
        packages.includeApt(),
        packages.slim(),
        packages.systemPackages(),
        packages.environment());
  }

  /**
   * Stops the build when the install set holds packages with NVIDIA driver libraries and the spec
   * does not allow them.
   */
  static void refuseDriverPackages(ImageSpec spec, ImageLock lock) throws PackageException {
    Optional<String> problem =
        CudaSetup.driverPackageProblem(
            spec, lock.packages().stream().map(LockedPackage::name).toList());
    if (problem.isPresent()) {
      throw new PackageException(problem.get());
    }
  }

  private ImageLock lock(ImageSpec spec, List<RepoSource> sources, Optional<OnBase> base)
      throws IOException {
    ImageLock lock = resolveOrLoad(spec, sources, base);
    refuseDriverPackages(spec, lock);
    return lock;
  }

  private ImageLock resolveOrLoad(ImageSpec spec, List<RepoSource> sources, Optional<OnBase> base)
      throws IOException {
    PackagesSpec packages = spec.packages();
    Optional<String> baseKey = base.map(OnBase::key);
    List<PackageRecord> installed =
        base.map(b -> b.system().installed()).orElse(List.<PackageRecord>of());
    LockInput input =
        PackageResolver.input(requests(spec), sources, packages.installRecommends(), baseKey);
    long start = System.nanoTime();
    boolean[] resolved = {false};
    ImageLock lock =
        locks.lockFor(
            spec.name(),
            input,
            pins -> {
              resolved[0] = true;
              listener.on(
                  new BuildEvent.PhaseStarted(
                      spec.name(), BuildEvent.Phase.RESOLVE, 0, BuildEvent.Unit.ITEMS, ""));
              List<String> requests = new ArrayList<>(requests(spec));
              requests.addAll(pins);
              ImageLock fresh =
                  PackageResolver.resolve(
                      spec.name(),
                      requests,
                      sources,
                      packages.installRecommends(),
                      Optional.of(indexes),
                      installed,
                      baseKey);
              fresh = new ImageLock(input, fresh.packages(), fresh.indexes());
              listener.on(
                  BuildEvent.PhaseDone.ran(
                      spec.name(),
                      BuildEvent.Phase.RESOLVE,
                      start,
                      fresh.packages().size(),
                      0,
                      requests(spec).size()
                          + " requested, "
                          + fresh.packages().size()
                          + (base.isPresent()
                              ? " to install or upgrade on the base's "
                                  + installed.size()
                                  + " packages"
                              : " to install (Essential set included)")));
              return fresh;
            });
    if (!resolved[0]) {
      listener.on(
          new BuildEvent.PhaseDone(
              spec.name(),
              BuildEvent.Phase.RESOLVE,
              Duration.ofNanos(System.nanoTime() - start),
              lock.packages().size(),
              0,
              true,
              lock.packages().size() + " packages from rig.lock"));
    }
    return lock;
  }

  /**
   * What the resolver is asked for, each package once (the first mention wins, so a pin in {@code
   * packages} holds): the spec's packages and systemPackages, apt, what rig-init needs (tini, Java,
   * openssh-server), the environment sets that are on, and the CUDA packages. Empty when the image
   * installs nothing.
   */
  public static List<String> requests(ImageSpec spec) {
    if (spec.packages().isEmpty()) {
      return List.of();
    }
    List<String> requests = new ArrayList<>(spec.packages().resolverRequests());
    if (spec.parts().runtime()) {
      RuntimeLayer.packages(spec.runtime())
          .forEach(needed -> PackagesSpec.addIfAbsent(requests, needed));
    }
    spec.packages().environment().packages().forEach(p -> PackagesSpec.addIfAbsent(requests, p));
    CudaSetup.packages(spec).forEach(p -> PackagesSpec.addIfAbsent(requests, p));
    return List.copyOf(requests);
  }

  /** The image's own apt configuration for the same repositories, so apt works inside it. */
  private static List<LayerEntry> aptSources(List<RepoSource> sources) {
    List<ImageAptSources.Repository> repositories = new ArrayList<>();
    for (RepoSource source : sources) {
      repositories.add(
          new ImageAptSources.Repository(
              source.name() + "-" + source.suite().replaceAll("[^A-Za-z0-9_.-]", "_"),
              source.uri(),
              List.of(source.suite()),
              source.components(),
              source.keyringBytes()));
    }
    return new ImageAptSources(repositories).entries();
  }
}
