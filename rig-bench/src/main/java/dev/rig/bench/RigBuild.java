package dev.rig.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The `./rig build` command lines the bench times: one spec, one cache, one output, quiet. */
final class RigBuild {
  private RigBuild() {}

  /**
   * {@code rig build -f SPEC --cache CACHE --out OUT [extra...] -q}; {@code out} is an output
   * reference such as {@code oci:DIR}.
   */
  static List<String> command(Path rig, Path spec, Path cache, String out, String... extra) {
    List<String> command =
        new ArrayList<>(
            List.of(
                rig.toString(),
                "build",
                "-f",
                spec.toString(),
                "--cache",
                cache.toString(),
                "--out",
                out));
    command.addAll(List.of(extra));
    command.add("-q");
    return List.copyOf(command);
  }
}
