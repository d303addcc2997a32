package dev.rig.cli;

import dev.rig.build.event.BuildListener;
import dev.rig.registry.RegistryClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What every command that builds works with: its output writers, the progress printer (silent when
 * quiet), and a registry client that reports on stderr.
 */
record CommandSession(
    PrintWriter out, PrintWriter err, BuildListener progress, RegistryClient registry) {

  /**
   * @param targets the registries the registry flags are for (see {@link RegistryTargets})
   */
  static CommandSession open(
      CommandSpec command, RegistryFlags registry, boolean quiet, Set<String> targets)
      throws IOException {
    PrintWriter err = command.commandLine().getErr();
    return new CommandSession(
        command.commandLine().getOut(),
        err,
        quiet ? Progress.silent() : Progress.to(err),
        registry.client(new RegistryProgress(err, quiet), targets));
  }
}
