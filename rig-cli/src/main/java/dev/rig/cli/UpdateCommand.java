package dev.rig.cli;

import dev.rig.build.Rig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rig update PKG...}: moves selected packages to the current indexes' versions. */
@Command(
    name = "update",
    mixinStandardHelpOptions = true,
    description =
        "Resolves again with every locked package held at its version except PKG... (all when"
            + " none is named), and writes rig.lock.")
final class UpdateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Mixin ProjectOptions project;

  @Mixin RegistryFlags registry;

  @Parameters(paramLabel = "PKG", arity = "0..*", description = "Packages to move.")
  List<String> packages = new ArrayList<>();

  @Option(names = "--image", paramLabel = "NAME", description = "Only these images (default: all).")
  List<String> images = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (packages.isEmpty()) {
      return LockOutput.run(command, project, registry, images, Rig.LockMode.REFRESH, Set.of());
    }
    return LockOutput.run(
        command, project, registry, images, Rig.LockMode.UPDATE, Set.copyOf(packages));
  }
}
