package dev.rig.spec;

import java.nio.file.Path;

/**
 * A spec that cannot be loaded, reported in one line as {@code FILE:LINE: OPTION: PROBLEM (HINT)},
 * e.g. {@code rig.pkl:12: images["foo"].exposedPorts[0]: port 70000 is out of range 1-65535 (use a
 * port between 1 and 65535, e.g. "8080/tcp")}.
 *
 * <p>When Pkl found the problem, the cause is Pkl's own multi-line report, for {@code --verbose}.
 */
public final class SpecException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final int line;
  private final String option;
  private final String problem;
  private final String hint;

  /**
   * @param file the file at fault
   * @param line the 1-based line, or 0 when unknown
   * @param option the option path in the spec's own notation, or empty
   * @param problem what is wrong, one line
   * @param hint how to fix it, or empty
   * @param cause the underlying error, or null
   */
  public SpecException(
      Path file, int line, String option, String problem, String hint, Throwable cause) {
    super(format(file, line, option, problem, hint), cause);
    this.file = file;
    this.line = line;
    this.option = option;
    this.problem = problem;
    this.hint = hint;
  }

  public SpecException(Path file, int line, String option, String problem, String hint) {
    this(file, line, option, problem, hint, null);
  }

  /** The file at fault (the spec, or a file it imports). */
  public Path file() {
    return file;
  }

  /** The 1-based line in {@link #file()}, or 0 when unknown. */
  public int line() {
    return line;
  }

  /**
   * The option at fault, e.g. {@code images["foo"].tag} or {@code images.foo.tag}; may be empty.
   */
  public String option() {
    return option;
  }

  /** What is wrong, in one line. */
  public String problem() {
    return problem;
  }

  /** How to fix it; may be empty. */
  public String hint() {
    return hint;
  }

  private static String format(Path file, int line, String option, String problem, String hint) {
    StringBuilder text = new StringBuilder(displayName(file));
    if (line > 0) {
      text.append(':').append(line);
    }
    text.append(": ");
    if (!option.isEmpty()) {
      text.append(option).append(": ");
    }
    text.append(problem);
    if (!hint.isEmpty()) {
      text.append(" (").append(hint).append(')');
    }
    return text.toString();
  }

  // Paths under the working directory are shown relative to it, like compilers do, so that the
  // usual "rig.pkl:12:" stays short; others are shown as they are.
  private static String displayName(Path file) {
    if (file == null) {
      return "<spec>";
    }
    Path here = Path.of("").toAbsolutePath();
    Path absolute = file.toAbsolutePath().normalize();
    return absolute.startsWith(here) && !absolute.equals(here)
        ? here.relativize(absolute).toString()
        : file.toString();
  }
}
