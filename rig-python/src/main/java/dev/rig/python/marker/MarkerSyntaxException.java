package dev.rig.python.marker;

/** A marker or requirement that PEP 508 does not allow; the message shows where it went wrong. */
public final class MarkerSyntaxException extends IllegalArgumentException {
  public MarkerSyntaxException(String message) {
    super(message);
  }

  /** A message that quotes {@code text} and points at column {@code at} with a caret. */
  public static MarkerSyntaxException at(String text, int at, String problem) {
    return new MarkerSyntaxException(
        problem
            + "\n  "
            + text
            + "\n  "
            + " ".repeat(Math.max(0, Math.min(at, text.length())))
            + "^");
  }
}
