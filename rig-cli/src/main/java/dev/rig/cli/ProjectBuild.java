package dev.rig.cli;

import dev.rig.build.base.BaseImages;
import dev.rig.build.event.BuildListener;
import dev.rig.build.home.GitHomes;
import dev.rig.build.image.BuildSettings;
import dev.rig.build.image.ImageBuilder;
import dev.rig.build.lock.LockStore;
import dev.rig.build.packages.PackageStage;
import dev.rig.build.packages.RepoSources;
import dev.rig.build.result.BuiltImage;
import dev.rig.oci.cache.BlobCache;
import dev.rig.registry.RegistryClient;
import dev.rig.registry.remote.RemoteImages;
import dev.rig.spec.ImageSpec;
import dev.rig.spec.Project;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the images a command names, the same way for build, push, load and shell: through the
 * cache (an unchanged image costs only lookups), with registry base images and packages from
 * rig.lock when a spec has them.
 */
final class ProjectBuild {
  private ProjectBuild() {}

  static List<BuiltImage> run(
      ProjectOptions project, List<String> names, RegistryClient registry, BuildListener progress)
      throws Exception {
    Project loaded = Specs.load(project);
    List<ImageSpec> selected = Specs.select(loaded, names);
    BuildSettings settings = settings(project);
    LockStore locks = locks(loaded, LockStore.Mode.USE, Set.of());
    ImageBuilder builder =
        new ImageBuilder(
            settings,
            progress,
            bases(settings, registry, locks),
            Optional.of(packages(settings, locks, progress)));
    GitHomes homes = homes(settings, locks, progress);
    List<BuiltImage> images = new ArrayList<>();
    try {
      for (ImageSpec image : selected) {
        images.add(builder.build(homes.resolve(image)));
      }
    } finally {
      // An image resolved for the first time is recorded even when a later one fails.
      locks.save();
    }
    return images;
  }

  static BuildSettings settings(ProjectOptions project) {
    return new BuildSettings(
        CacheDir.resolve(project.cache), project.compression, SourceDateEpoch.fromEnvironment());
  }

  /** The project's rig.lock, next to the spec file. */
  static LockStore locks(Project project, LockStore.Mode mode, Set<String> moving)
      throws IOException {
    return LockStore.open(project.file().getParent().resolve("rig.lock"), mode, moving);
  }

  static PackageStage packages(BuildSettings settings, LockStore locks, BuildListener progress) {
    return new PackageStage(
        settings.cacheDir(), settings.created(), RepoSources.ofSystem(), locks, progress);
  }

  /** Base images from layouts and registries, tags pinned in rig.lock. */
  /** Git homes checked out into the cache, their refs pinned in rig.lock. */
  static GitHomes homes(BuildSettings settings, LockStore locks, BuildListener progress) {
    return new GitHomes(settings.cacheDir(), locks::pinHome, progress);
  }

  static BaseImages bases(BuildSettings settings, RegistryClient registry, LockStore locks)
      throws IOException {
    BlobCache cache = BlobCache.open(settings.cacheDir(), event -> {});
    return BaseImages.withRegistry(new RemoteImages(registry, cache), locks::pinBase);
  }
}
