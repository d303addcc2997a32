package dev.rig.init;

import dev.rig.init.config.ConfigException;
import dev.rig.init.config.ConfigLoader;
import dev.rig.init.config.DependencyOrder;
import dev.rig.init.config.RuntimeConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Entry point. Only {@code validate} exists so far; {@code run} and {@code status} need the
 * supervisor, which is not written yet.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(execute(List.of(args), System.out, System.err));
  }

  /** Runs one command and returns the exit code; streams are parameters so tests can read them. */
  static int execute(List<String> args, PrintStream out, PrintStream err) {
    String command = args.isEmpty() ? "run" : args.get(0);
    Path config = Path.of("/etc/rig/runtime.json");
    for (int i = 1; i < args.size(); i++) {
      if (args.get(i).equals("--config") && i + 1 < args.size()) {
        config = Path.of(args.get(++i));
      } else {
        err.println("rig-init: unknown option '" + args.get(i) + "'");
        return 2;
      }
    }
    if (!command.equals("validate")) {
      err.println("rig-init: '" + command + "' is not implemented yet; only 'validate' is");
      return 2;
    }
    try {
      RuntimeConfig c = ConfigLoader.load(config);
      out.println(config + ": ok, start order " + DependencyOrder.startOrder(c.services()));
      return 0;
    } catch (ConfigException e) {
      err.println("rig-init: " + e.getMessage());
      return 1;
    }
  }
}
