package dev.rig.init.startup;

/** Logs which market runs the container and where its ports are reachable. */
public final class MarketStep implements StartupStep {
  @Override
  public String name() {
    return "market";
  }

  @Override
  public StepResult run(StepContext ctx) {
    return StepResult.ok(name(), Market.detect(ctx).describe());
  }
}
