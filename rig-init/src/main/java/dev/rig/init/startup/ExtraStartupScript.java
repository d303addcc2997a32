package dev.rig.init.startup;

import dev.rig.init.supervise.ChildEnvironment;
import dev.rig.init.supervise.LinePump;
import java.util.List;

/**
 * The user's extraStartupScript, run last with bash -c; its output goes to the log with a {@code
 * [startup-script] } prefix. A failing script is reported, not fatal: services (and SSH to debug
 * the script) still come up.
 */
public final class ExtraStartupScript implements StartupStep {
  @Override
  public String name() {
    return "extra-startup-script";
  }

  @Override
  public StepResult run(StepContext ctx) throws Exception {
    String script = ctx.settings().extraStartupScript();
    if (script == null || script.isBlank()) {
      return StepResult.skipped(name(), "none");
    }
    long t0 = System.nanoTime();
    ProcessBuilder pb = new ProcessBuilder(List.of("bash", "-c", script)).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(ChildEnvironment.of(ctx.env()));
    Process p = pb.start();
    p.getOutputStream().close();
    Thread pump = new LinePump(p.getInputStream(), ctx.out(), "startup-script", true).start();
    int code = p.waitFor();
    pump.join(5000);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    if (code != 0) {
      return StepResult.failed(name(), "exited with code " + code + " after " + ms + " ms");
    }
    return StepResult.ok(name(), "done in " + ms + " ms");
  }
}
