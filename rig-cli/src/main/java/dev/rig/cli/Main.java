package dev.rig.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rig} command: builds GPU container images from a declarative spec. */
@Command(
    name = "rig",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Builds GPU container images from a declarative spec, without Docker.",
    subcommands = {
      BuildCommand.class,
      PushCommand.class,
      LoadCommand.class,
      ShellCommand.class,
      LockCommand.class,
      UpdateCommand.class,
      OptionsCommand.class,
      InitCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {

  public static void main(String[] args) {
    int code = run(args);
    // Every command that fetched something (packages, bases, pushes) would otherwise wait up to
    // 0.3 s at exit for the HTTP clients' selector threads (see ClientStopper).
    dev.rig.registry.http.ClientStopper.stopAll();
    System.exit(code);
  }

  /** Runs the command line and returns the exit code (tests call this without exiting). */
  public static int run(String... args) {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setExecutionExceptionHandler(new Failures());
    // `rig shell NAME CMD...` passes CMD on as docker run does: after NAME nothing is rig's option,
    // so `rig shell gpu bash -c 'nvidia-smi'` needs no `--`.
    commandLine.getSubcommands().get("shell").setStopAtPositional(true);
    return commandLine.execute(args);
  }

  /** Reports the version from the jar manifest, or "dev" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"rig " + (version == null ? "dev" : version)};
    }
  }
}
