package dev.rig.init;

import dev.rig.init.config.ConfigException;
import dev.rig.init.config.ConfigLoader;
import dev.rig.init.config.RuntimeConfig;
import dev.rig.init.report.Event;
import dev.rig.init.report.LinePrinter;
import dev.rig.init.report.OutputSink;
import dev.rig.init.report.Reporter;
import dev.rig.init.startup.StepContext;
import dev.rig.init.supervise.StatusFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Entry point: {@code rig-init [run] [--config FILE] [--root DIR] [-- CMD...]}, {@code validate},
 * {@code status [--json]}, {@code doctor}. Anything that is not a command or an option is the main
 * command, so {@code ENTRYPOINT ["tini","--","rig-init"]} with any CMD works, and so does an
 * overridden entrypoint that calls {@code rig-init -- cmd}.
 *
 * <p>{@code --root} moves every path rig-init touches (/etc, /run/rig, /root/.ssh, …) under DIR,
 * for tests; it defaults to /.
 */
public final class Main {
  private static final Set<String> COMMANDS = Set.of("run", "validate", "status", "doctor");

  private Main() {}

  public static void main(String[] args) {
    long t0 = System.nanoTime();
    System.exit(execute(List.of(args), System.out, System.err, System.getenv(), t0));
  }

  static int execute(List<String> args, PrintStream out, PrintStream err) {
    return execute(args, out, err, System.getenv(), System.nanoTime());
  }

  /** Runs one command and returns the exit code; streams are parameters so tests can read them. */
  static int execute(
      List<String> args, PrintStream out, PrintStream err, Map<String, String> env, long t0) {
    String command = "run";
    int i = 0;
    if (!args.isEmpty() && COMMANDS.contains(args.get(0))) {
      command = args.get(0);
      i = 1;
    }
    Path config = Path.of("/etc/rig/runtime.json");
    Path root = Path.of("/");
    boolean json = false;
    List<String> mainArgv = new ArrayList<>();
    for (; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--config") && i + 1 < args.size()) {
        config = Path.of(args.get(++i));
      } else if (a.equals("--root") && i + 1 < args.size()) {
        root = Path.of(args.get(++i)).toAbsolutePath();
      } else if (a.equals("--json") && command.equals("status")) {
        json = true;
      } else if (a.equals("--") && command.equals("run")) {
        mainArgv.addAll(args.subList(i + 1, args.size()));
        break;
      } else if (!a.startsWith("--") && command.equals("run")) {
        mainArgv.addAll(args.subList(i, args.size()));
        break;
      } else {
        err.println("rig-init: unknown option '" + a + "' for " + command);
        return 2;
      }
    }
    OutputSink sink = new OutputSink(out);
    Reporter reporter = new LinePrinter(sink);
    switch (command) {
      case "status":
        return status(root, json, out, err);
      case "validate":
        try {
          RuntimeConfig c = ConfigLoader.load(config);
          StepContext ctx = new StepContext(root, env, c.startup(), sink);
          out.println(config + ": ok, start order " + StartOrder.of(c, ctx));
          return 0;
        } catch (ConfigException e) {
          err.println("rig-init: " + e.getMessage());
          return 1;
        }
      default:
        break;
    }
    RuntimeConfig c;
    try {
      c = loadOrDefault(config, reporter, command.equals("run"));
    } catch (ConfigException e) {
      err.println("rig-init: " + e.getMessage());
      return 1;
    }
    if (command.equals("doctor")) {
      Doctor.print(Doctor.examine(new StepContext(root, env, c.startup(), sink)), reporter);
      return 0;
    }
    return new Run(c, root, env, mainArgv, sink, reporter, t0).execute();
  }

  /** A missing runtime.json means defaults (an image built without rig); a broken one is fatal. */
  private static RuntimeConfig loadOrDefault(Path file, Reporter reporter, boolean say)
      throws ConfigException {
    if (!Files.exists(file)) {
      if (say) {
        reporter.report(Event.info("config", file + " not found; using defaults"));
      }
      return RuntimeConfig.EMPTY;
    }
    return ConfigLoader.load(file);
  }

  private static int status(Path root, boolean json, PrintStream out, PrintStream err) {
    StatusFile file = StatusFile.under(root);
    try {
      if (json) {
        out.print(Files.readString(file.path()));
      } else {
        out.print(StatusFile.table(file.read()));
      }
      return 0;
    } catch (NoSuchFileException e) {
      err.println("rig-init: " + file.path() + " does not exist; is rig-init running?");
      return 1;
    } catch (IOException e) {
      err.println("rig-init: cannot read " + file.path() + ": " + e.getMessage());
      return 1;
    }
  }
}
