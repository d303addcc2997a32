package dev.rig.init;

import dev.rig.init.report.Event;
import dev.rig.init.report.Plural;
import dev.rig.init.report.Reporter;
import dev.rig.init.startup.DriverLibraries;
import dev.rig.init.startup.GpuDriver;
import dev.rig.init.startup.HostKeys;
import dev.rig.init.startup.Market;
import dev.rig.init.startup.ShmCheck;
import dev.rig.init.startup.StepContext;
import dev.rig.init.startup.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The {@code doctor} command: the same checks as startup, read-only, plus what only matters when
 * something is wrong (device nodes, listening ports). Returns events; the caller prints them.
 */
final class Doctor {
  private Doctor() {}

  static List<Event> examine(StepContext ctx) {
    List<Event> out = new ArrayList<>();
    try {
      List<DriverLibraries.Library> libs = DriverLibraries.scan(ctx);
      out.add(
          Event.info(
              "gpu",
              Plural.of(libs.size(), "driver library", "driver libraries")
                  + (libs.isEmpty()
                      ? ""
                      : " (" + libs.get(0).dir() + "/" + libs.get(0).fileName() + ", …)")
                  + "; "
                  + deviceNodes(ctx)));
    } catch (Exception e) {
      out.add(Event.warn("gpu", "cannot scan driver libraries: " + e));
    }
    out.add(check(new GpuDriver(), ctx));
    out.add(check(new ShmCheck(), ctx));
    Set<Integer> ports = Ports.listening(ctx.path("/proc"));
    out.add(ssh(ctx, ports));
    Event python = PythonReport.examine(ctx);
    if (python != null) {
      out.add(python);
    }
    out.add(Event.info("ports", ports.isEmpty() ? "none listening" : "listening on " + ports));
    out.add(Event.info("market", Market.detect(ctx).describe()));
    return out;
  }

  private static Event check(dev.rig.init.startup.StartupStep step, StepContext ctx) {
    try {
      return step.run(ctx).toEvent();
    } catch (Exception e) {
      return StepResult.failed(step.name(), "check failed: " + e).toEvent();
    }
  }

  private static String deviceNodes(StepContext ctx) {
    Path dev = ctx.path("/dev");
    try (Stream<Path> s = Files.list(dev)) {
      List<String> gpus =
          s.map(p -> p.getFileName().toString())
              .filter(n -> n.matches("nvidia\\d+") || n.equals("dxg"))
              .sorted()
              .toList();
      return gpus.isEmpty() ? "no device" : "devices " + String.join(", ", gpus);
    } catch (Exception e) {
      return "no device";
    }
  }

  /**
   * Whether sshd listens is read from {@code ports} (the kernel's table) rather than by connecting:
   * a connection costs the command a socket stack's classes and makes sshd log a closed connection
   * at every doctor run.
   */
  private static Event ssh(StepContext ctx, Set<Integer> ports) {
    List<String> keys = new ArrayList<>();
    for (String type : ctx.settings().sshHostKeyTypes()) {
      if (Files.exists(ctx.path(HostKeys.keyPath(type)))) {
        keys.add(type);
      }
    }
    long authorized = 0;
    try {
      authorized =
          Files.readAllLines(ctx.path("/root/.ssh/authorized_keys")).stream()
              .filter(l -> !l.isBlank() && !l.strip().startsWith("#"))
              .count();
    } catch (Exception e) {
      // no file: zero keys
    }
    int port = ctx.settings().sshPort();
    boolean up = ports.contains(port);
    String text =
        "host keys "
            + (keys.isEmpty() ? "none" : String.join(", ", keys))
            + "; "
            + Plural.of(authorized, "authorized key", "authorized keys")
            + "; port "
            + port
            + (up ? " accepting" : " not listening");
    return keys.isEmpty() || authorized == 0 || !up
        ? Event.warn("ssh", text)
        : Event.info("ssh", text);
  }

  static void print(List<Event> events, Reporter r) {
    events.forEach(r::report);
  }
}
