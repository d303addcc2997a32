package dev.rig.cli;

import dev.rig.spec.ImageSpec;
import dev.rig.spec.Project;
import dev.rig.spec.SpecCache;
import dev.rig.spec.SpecException;
import dev.rig.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds and loads the project spec, and picks the images a command names. */
final class Specs {
  private Specs() {}

  /**
   * Loads the spec the options name (or the one here), through the spec cache in rig's cache
   * directory: an unchanged spec is not evaluated again.
   */
  static Project load(ProjectOptions project) throws SpecException {
    return load(project.file, SpecCache.in(cacheDir(project), event -> {}));
  }

  /** Where evaluated specs are cached: "specs" in the cache directory. */
  static Path cacheDir(ProjectOptions project) {
    return CacheDir.resolve(project.cache).resolve("specs");
  }

  static Project load(Path file, SpecCache cache) throws SpecException {
    Path spec = file;
    if (spec == null) {
      Path here = Path.of("").toAbsolutePath();
      spec =
          SpecLoader.find(here)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "no rig.pkl, rig.yaml, rig.yml or rig.json in "
                              + here
                              + " (give one with -f FILE)"));
    } else if (!Files.isRegularFile(spec)) {
      throw new IllegalArgumentException(
          "spec file " + spec + " does not exist (check the path given with -f)");
    }
    return SpecLoader.load(spec.toAbsolutePath(), cache);
  }

  static List<ImageSpec> select(Project project, List<String> names) {
    if (names.isEmpty()) {
      if (project.images().isEmpty()) {
        throw new IllegalArgumentException(
            project.file() + " declares no images (add one under images { [\"NAME\"] { ... } })");
      }
      return List.copyOf(project.images().values());
    }
    List<ImageSpec> selected = new ArrayList<>();
    for (String name : names) {
      ImageSpec image = project.images().get(name);
      if (image == null) {
        throw new IllegalArgumentException(
            "no image named '"
                + name
                + "' in "
                + project.file()
                + " (it declares: "
                + String.join(", ", project.images().keySet())
                + ")");
      }
      selected.add(image);
    }
    return selected;
  }
}
