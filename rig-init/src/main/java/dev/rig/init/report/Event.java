package dev.rig.init.report;

/**
 * One thing rig-init has to tell the user: {@code source} is a startup step, a service or the
 * supervisor, {@code level} says how loudly. The core returns or emits these; only {@link
 * LinePrinter} turns them into text.
 */
public record Event(Level level, String source, String text) {
  public enum Level {
    INFO,
    WARN,
    ERROR
  }

  public static Event info(String source, String text) {
    return new Event(Level.INFO, source, text);
  }

  public static Event warn(String source, String text) {
    return new Event(Level.WARN, source, text);
  }

  public static Event error(String source, String text) {
    return new Event(Level.ERROR, source, text);
  }
}
