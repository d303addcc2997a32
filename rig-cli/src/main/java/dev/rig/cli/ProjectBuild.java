package dev.rig.cli;

import dev.rig.build.BaseImages;
import dev.rig.build.BuildSettings;
import dev.rig.build.BuiltImage;
import dev.rig.build.ImageBuilder;
import dev.rig.build.event.BuildListener;
import dev.rig.oci.cache.BlobCache;
import dev.rig.registry.RegistryClient;
import dev.rig.registry.remote.RemoteImages;
import dev.rig.spec.ImageSpec;
import dev.rig.spec.Project;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the images a command names, the same way for build, push, load and shell: through the
 * cache (an unchanged image costs only lookups), with registry base images when a spec has them.
 */
final class ProjectBuild {
  private ProjectBuild() {}

  static List<BuiltImage> run(
      ProjectOptions project, List<String> names, RegistryClient registry, BuildListener progress)
      throws Exception {
    Project loaded = Specs.load(project.file);
    List<ImageSpec> selected = Specs.select(loaded, names);
    BuildSettings settings =
        new BuildSettings(
            CacheDir.resolve(project.cache),
            project.compression,
            SourceDateEpoch.fromEnvironment());
    ImageBuilder builder = new ImageBuilder(settings, progress, bases(settings, registry));
    List<BuiltImage> images = new ArrayList<>();
    for (ImageSpec image : selected) {
      images.add(builder.build(image));
    }
    return images;
  }

  private static BaseImages bases(BuildSettings settings, RegistryClient registry)
      throws IOException {
    BlobCache cache = BlobCache.open(settings.cacheDir(), event -> {});
    return BaseImages.withRegistry(new RemoteImages(registry, cache));
  }
}
