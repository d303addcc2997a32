package dev.rig.init.report;

/** Receives events; the supervisor and the startup steps know nothing about how they are shown. */
@FunctionalInterface
public interface Reporter {
  void report(Event event);

  /** Drops everything; for callers that only want returned values. */
  Reporter NONE = e -> {};
}
