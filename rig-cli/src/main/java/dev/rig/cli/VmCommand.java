package dev.rig.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code rig vm}: the microVM form of an image. */
@Command(
    name = "vm",
    mixinStandardHelpOptions = true,
    subcommands = VmRunCommand.class,
    description = "Runs images as microVMs (see docs/vm.md).")
final class VmCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() {
    command.commandLine().usage(command.commandLine().getErr());
    return 2;
  }
}
