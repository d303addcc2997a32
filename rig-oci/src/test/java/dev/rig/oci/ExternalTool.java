package dev.rig.oci;

import dev.rig.testkit.Exec;
import dev.rig.testkit.Tools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The reference tools (umoci, skopeo, tar, zstd) that rig's output is checked against, run through
 * rig-testkit: a missing tool fails the test with the package to install.
 */
public final class ExternalTool {
  private ExternalTool() {}

  public static Path require(String program, String debianPackage) {
    return Tools.require(program, debianPackage);
  }

  public static Exec.Result run(
      Path workDir, String program, String debianPackage, String... args) {
    List<String> command = new ArrayList<>();
    command.add(require(program, debianPackage).toString());
    command.addAll(List.of(args));
    return Exec.run(command, Map.of(), workDir, Duration.ofMinutes(2));
  }

  public static Exec.Result umoci(String... args) {
    return run(null, "umoci", "umoci", args);
  }

  public static Exec.Result skopeo(String... args) {
    return run(null, "skopeo", "skopeo", args);
  }

  public static Exec.Result tar(Path workDir, String... args) {
    return run(workDir, "tar", "tar", args);
  }
}
