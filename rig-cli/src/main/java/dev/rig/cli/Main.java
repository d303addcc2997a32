package dev.rig.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rig} command: builds GPU container images from a declarative spec. */
@Command(
    name = "rig",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Builds GPU container images from a declarative spec, without Docker.")
public final class Main {
  /**
   * The subcommands by name, in the order help lists them. picocli builds each command's model by
   * reflection over its options and mixins, with its own classes outside the class-data archive
   * (they are Java 5 class files); building the others a run does not use cost about 30 ms of every
   * start, so a run that names one gets only that one.
   */
  private static final Map<String, Class<?>> COMMANDS = commands();

  private static Map<String, Class<?>> commands() {
    Map<String, Class<?>> commands = new LinkedHashMap<>();
    commands.put("build", BuildCommand.class);
    commands.put("push", PushCommand.class);
    commands.put("load", LoadCommand.class);
    commands.put("shell", ShellCommand.class);
    commands.put("lock", LockCommand.class);
    commands.put("update", UpdateCommand.class);
    commands.put("cache", CacheCommand.class);
    commands.put("vm", VmCommand.class);
    commands.put("options", OptionsCommand.class);
    commands.put("init", InitCommand.class);
    commands.put("cds-training", CdsTrainingCommand.class);
    commands.put("help", CommandLine.HelpCommand.class);
    return Collections.unmodifiableMap(commands);
  }

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("push")) {
      // A push always talks to a registry: get TLS ready while the rest starts up.
      TlsWarmUp.start();
    }
    // Every command stops its HTTP clients when it closes its Rig (no 0.3 s stall at exit).
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (tests call this without exiting). */
  public static int run(String... args) {
    CommandLine commandLine = commandLine(args);
    commandLine.setExecutionExceptionHandler(new Failures());
    // `rig shell NAME CMD...` passes CMD on as docker run does: after NAME nothing is rig's option,
    // so `rig shell gpu bash -c 'nvidia-smi'` needs no `--`.
    // rig's own options written right after NAME are still rig's (ShellArguments).
    CommandLine shell = commandLine.getSubcommands().get("shell");
    if (shell != null) {
      shell.setStopAtPositional(true);
      return commandLine.execute(ShellArguments.hoistOptions(shell.getCommandSpec(), args));
    }
    return commandLine.execute(args);
  }

  /**
   * The command line for {@code args}: with only the subcommand they name, or with all of them when
   * they name none (top-level help, version, a mistyped name, {@code help}, which lists them).
   */
  static CommandLine commandLine(String... args) {
    CommandLine commandLine = new CommandLine(new Main());
    Class<?> named = args.length > 0 && !args[0].equals("help") ? COMMANDS.get(args[0]) : null;
    if (named != null) {
      commandLine.addSubcommand(args[0], named);
    } else {
      COMMANDS.forEach(commandLine::addSubcommand);
    }
    return commandLine;
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
