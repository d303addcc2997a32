package dev.rig.init.startup;

/** One preparation step; it returns what it did instead of printing it. */
public interface StartupStep {
  String name();

  StepResult run(StepContext ctx) throws Exception;
}
