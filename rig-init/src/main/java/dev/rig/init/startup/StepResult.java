package dev.rig.init.startup;

import dev.rig.init.report.Event;

/**
 * What one step did, in one line. {@code fatal} means rig-init cannot go on; steps use it only when
 * starting services would be pointless or unsafe.
 */
public record StepResult(String step, Outcome outcome, String message, boolean fatal) {
  public enum Outcome {
    OK,
    SKIPPED,
    WARNING,
    FAILED
  }

  public static StepResult ok(String step, String message) {
    return new StepResult(step, Outcome.OK, message, false);
  }

  public static StepResult skipped(String step, String message) {
    return new StepResult(step, Outcome.SKIPPED, message, false);
  }

  public static StepResult warning(String step, String message) {
    return new StepResult(step, Outcome.WARNING, message, false);
  }

  public static StepResult failed(String step, String message) {
    return new StepResult(step, Outcome.FAILED, message, false);
  }

  /** A failure after which rig-init exits 1 instead of starting services. */
  public static StepResult fatal(String step, String message) {
    return new StepResult(step, Outcome.FAILED, message, true);
  }

  public Event toEvent() {
    return switch (outcome) {
      case OK, SKIPPED -> Event.info(step, message);
      case WARNING -> Event.warn(step, message);
      case FAILED -> Event.error(step, message);
    };
  }
}
