package dev.rig.cli;

/**
 * Whether progress goes to a person at a terminal (a live display) or to a log (plain lines).
 * {@code RIG_PROGRESS=plain} or {@code live} overrides the guess; TERM=dumb means plain.
 */
final class Terminal {
  private Terminal() {}

  static boolean isInteractive() {
    String forced = System.getenv("RIG_PROGRESS");
    if ("plain".equals(forced)) {
      return false;
    }
    if ("live".equals(forced)) {
      return true;
    }
    String term = System.getenv("TERM");
    return System.console() != null && term != null && !term.equals("dumb");
  }
}
