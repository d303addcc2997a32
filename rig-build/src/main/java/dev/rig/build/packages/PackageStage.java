package dev.rig.build.packages;

import dev.rig.apt.dpkg.ImageAptSources;
import dev.rig.apt.repo.IndexCache;
import dev.rig.build.cuda.CudaSetup;
import dev.rig.build.event.BuildEvent;
import dev.rig.build.event.BuildListener;
import dev.rig.build.lock.ImageLock;
import dev.rig.build.lock.LockInput;
import dev.rig.build.lock.LockStore;
import dev.rig.build.lock.LockedPackage;
import dev.rig.build.runtime.RuntimeLayer;
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
import java.util.List;
import java.util.Optional;

/**
 * The packages part of a build: sources from the spec, the install set from rig.lock (resolving
 * when the lock has no entry yet), the configured root from the cache or from dpkg, and layers.
 */
public final class PackageStage {
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
    this.repoSources = repoSources;
    this.locks = locks;
    this.installer = new PackageInstaller(cacheDir, created, listener);
    this.indexes = IndexCache.in(cacheDir.resolve("indexes"));
    this.listener = listener;
    this.java = new LinkedJava(cacheDir, created, installer, locks, listener);
  }

  /** The image's package layers within {@code budget} layers; empty when it has no packages. */
  public List<LayerInput> layers(ImageSpec spec, int budget) throws IOException {
    PackagesSpec packages = spec.packages();
    if (packages.isEmpty()) {
      return List.of();
    }
    if (spec.from().isPresent()) {
      throw new PackageException(
          "image '"
              + spec.name()
              + "': packages on top of a base image (from) are not supported yet; drop `from`"
              + " and list the packages the base gave, or drop `packages`");
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
    List<RepoSource> sources = repoSources.sources(spec.name(), withCudaRepository(spec));
    ImageLock lock = lock(spec, sources);
    InstalledSystem system =
        installer.install(
            spec.name(),
            lock,
            sources,
            packages.slim(),
            InstallStages.requested(spec),
            packages.installRecommends());
    List<LayerEntry> top = new ArrayList<>(aptSources(sources));
    top.addAll(CudaSetup.files(spec, system.root()));
    return PackageLayers.split(system, budget, top);
  }

  /** The image's locked install set, resolved now when the lock store asks for it. */
  public ImageLock lock(ImageSpec spec) throws IOException {
    List<RepoSource> sources = repoSources.sources(spec.name(), withCudaRepository(spec));
    if (spec.parts().runtime()) {
      java.lock(spec, sources);
    }
    return lock(spec, sources);
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

  /**
   * The directory of rig-init's Java runtime, linked from the image's locked JDK; empty when the
   * image has no packages (rig-init then runs on the base image's java) or no runtime.
   */
  public Optional<Path> linkedJava(ImageSpec spec) throws IOException {
    if (spec.packages().isEmpty() || !spec.parts().runtime()) {
      return Optional.empty();
    }
    return Optional.of(java.link(spec, repoSources.sources(spec.name(), withCudaRepository(spec))));
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

  private ImageLock lock(ImageSpec spec, List<RepoSource> sources) throws IOException {
    ImageLock lock = resolveOrLoad(spec, sources);
    refuseDriverPackages(spec, lock);
    return lock;
  }

  private ImageLock resolveOrLoad(ImageSpec spec, List<RepoSource> sources) throws IOException {
    PackagesSpec packages = spec.packages();
    LockInput input = PackageResolver.input(requests(spec), sources, packages.installRecommends());
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
                      Optional.of(indexes));
              fresh = new ImageLock(input, fresh.packages(), fresh.indexes());
              listener.on(
                  new BuildEvent.PhaseDone(
                      spec.name(),
                      BuildEvent.Phase.RESOLVE,
                      Duration.ofNanos(System.nanoTime() - start),
                      fresh.packages().size(),
                      0,
                      false,
                      requests(spec).size()
                          + " requested, "
                          + fresh.packages().size()
                          + " to install (Essential set included)"));
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
