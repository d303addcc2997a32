package dev.rig.cli;

import dev.rig.spec.OptionsReference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code rig options}: the reference of every spec option, generated from the schema. */
@Command(
    name = "options",
    mixinStandardHelpOptions = true,
    description = "Prints every spec option with its type, default and documentation (Markdown).")
final class OptionsCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() {
    command.commandLine().getOut().print(OptionsReference.markdown());
    command.commandLine().getOut().flush();
    return 0;
  }
}
