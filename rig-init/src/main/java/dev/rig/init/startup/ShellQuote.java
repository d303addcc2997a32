package dev.rig.init.startup;

/** POSIX shell single-quoting: everything literal, a ' becomes '\''. */
public final class ShellQuote {
  private ShellQuote() {}

  public static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
