package dev.rig.init.startup;

import dev.rig.init.report.Reporter;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the startup steps in order and reports each as it finishes. A step that throws is reported
 * as failed and the rest still run: a broken GPU glue must not keep SSH from coming up.
 */
public final class Startup {
  private final List<StartupStep> steps;

  public Startup(List<StartupStep> steps) {
    this.steps = List.copyOf(steps);
  }

  /**
   * The standard order: the environment is exported after everything that may add to it. The user's
   * {@link ExtraStartupScript} is not among them: it runs once sshd is up.
   */
  public static Startup standard() {
    return standard(new HostKeys());
  }

  /** The standard order with a given host-key step, whose background keys the caller awaits. */
  public static Startup standard(HostKeys hostKeys) {
    return standard(hostKeys, dev.rig.init.config.RuntimeConfig.EMPTY);
  }

  /** The standard order with the secrets and identities that {@code config} declares. */
  public static Startup standard(HostKeys hostKeys, dev.rig.init.config.RuntimeConfig config) {
    return new Startup(
        List.of(
            new RuntimeDirs(),
            new TunCheck(),
            new GpuLibraries(),
            new GpuDriver(),
            new ShmCheck(),
            new RootPassword(),
            new SshKeys(),
            hostKeys,
            new Secrets(config.secrets(), config.secretIdentities()),
            new MarketStep(),
            new EnvExport()));
  }

  /** Runs every step (stopping only after a fatal one) and returns their results. */
  public List<StepResult> run(StepContext ctx, Reporter reporter) {
    List<StepResult> results = new ArrayList<>();
    for (StartupStep step : steps) {
      StepResult r;
      try {
        r = step.run(ctx);
      } catch (Exception e) {
        r = StepResult.failed(step.name(), "failed unexpectedly: " + e);
      }
      results.add(r);
      reporter.report(r.toEvent());
      if (r.fatal()) {
        break;
      }
    }
    return results;
  }
}
