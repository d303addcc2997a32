package dev.rig.build.project;

import dev.rig.spec.ImageSpec;
import dev.rig.spec.Project;
import dev.rig.spec.SpecCache;
import dev.rig.spec.SpecException;
import dev.rig.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds and loads the project spec, and picks the images a command names. */
public final class ProjectFiles {
  private ProjectFiles() {}

  /**
   * Loads {@code file} (or the spec in the current directory) through {@code cache}: an unchanged
   * spec is not evaluated again.
   */
  public static Project load(Optional<Path> file, SpecCache cache) throws SpecException {
    Path spec;
    if (file.isEmpty()) {
      Path here = Path.of("").toAbsolutePath();
      spec =
          SpecLoader.find(here)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "no rig.pkl, rig.yaml, rig.yml or rig.json in "
                              + here
                              + " (give one with -f FILE)"));
    } else {
      spec = file.get();
      if (!Files.isRegularFile(spec)) {
        throw new IllegalArgumentException(
            "spec file " + spec + " does not exist (check the path given with -f)");
      }
    }
    return SpecLoader.load(spec.toAbsolutePath(), cache);
  }

  /** The images {@code names} names, in that order; all of them when it is empty. */
  public static List<ImageSpec> select(Project project, List<String> names) {
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
