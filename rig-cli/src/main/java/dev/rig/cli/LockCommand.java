package dev.rig.cli;

import dev.rig.build.Rig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rig lock}: resolves the images' packages again and writes rig.lock. */
@Command(
    name = "lock",
    mixinStandardHelpOptions = true,
    description =
        "Resolves the packages of the named images (all by default) from the current indexes and"
            + " writes rig.lock next to the spec. Builds then install exactly what it lists.")
final class LockCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Mixin ProjectOptions project;

  @Mixin RegistryFlags registry;

  @Parameters(paramLabel = "NAME", arity = "0..*", description = "Images (default: all).")
  List<String> names = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    return LockOutput.run(command, project, registry, names, Rig.LockMode.REFRESH, Set.of());
  }
}
