package dev.rig.cli;

import dev.rig.build.load.ContainerRuntime;
import picocli.CommandLine.Option;

/** {@code --runtime}: which container engine to load into and run with. */
final class RuntimeOption {
  @Option(
      names = "--runtime",
      paramLabel = "RUNTIME",
      description = "podman, docker or a path to either (default: podman, else docker).")
  String runtime;

  ContainerRuntime find() {
    return ContainerRuntime.find(runtime, System.getenv("PATH"));
  }
}
