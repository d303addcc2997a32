package dev.rig.cli;

import java.io.Console;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The passphrase of a signing key: from RIG_SIGNING_PASSPHRASE, else typed at a prompt on the
 * terminal (never echoed). Without a terminal (CI, a pipe) there is no one to ask: the error says
 * which variable to set instead.
 */
final class Passphrase {
  static final String VARIABLE = "RIG_SIGNING_PASSPHRASE";

  private Passphrase() {}

  /** For opening an existing key. */
  static byte[] forKey(String what) {
    return read(what, false);
  }

  /** For sealing a new key: typed twice at a prompt, so that a typo cannot lock the key away. */
  static byte[] forNewKey(String what) {
    return read(what, true);
  }

  private static byte[] read(String what, boolean confirm) {
    String fromEnvironment = System.getenv(VARIABLE);
    if (fromEnvironment != null) {
      return fromEnvironment.getBytes(StandardCharsets.UTF_8);
    }
    Console console = System.console();
    if (console == null || !Terminal.isInteractive()) {
      throw new IllegalArgumentException(
          "no passphrase for " + what + ": set " + VARIABLE + " (there is no terminal to ask on)");
    }
    char[] first = console.readPassword("passphrase for %s: ", what);
    if (first == null) {
      throw new IllegalArgumentException("no passphrase typed for " + what);
    }
    if (confirm) {
      char[] again = console.readPassword("again: ");
      if (again == null || !Arrays.equals(first, again)) {
        throw new IllegalArgumentException("the two passphrases differ; run the command again");
      }
      Arrays.fill(again, '\0');
    }
    byte[] bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(first)).array();
    int length = StandardCharsets.UTF_8.encode(CharBuffer.wrap(first)).limit();
    Arrays.fill(first, '\0');
    return Arrays.copyOf(bytes, length);
  }
}
