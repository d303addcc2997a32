package dev.rig.cli;

import dev.rig.build.Rig;
import dev.rig.build.result.LockReport;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;

/** What {@code rig lock} and {@code rig update} share: lock through the facade, then report. */
final class LockOutput {
  private LockOutput() {}

  static int run(
      CommandSpec command,
      ProjectOptions project,
      RegistryFlags registry,
      List<String> names,
      Rig.LockMode mode,
      Set<String> moving)
      throws Exception {
    try (CommandSession session = CommandSession.open(command, project, registry, project.quiet)) {
      Rig rig = session.rig();
      LockReport report = rig.lock(rig.load(project.spec()), names, mode, moving);
      session.endProgress();
      PrintWriter out = session.out();
      report.pinned().forEach(out::println);
      out.println("wrote " + report.file());
      out.flush();
    }
    return 0;
  }
}
