package dev.rig.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The passphrase of a signing key: from a file named by --passphrase-file (its first line), else
 * from RIG_SIGNING_PASSPHRASE, else typed at a prompt on the terminal (never echoed). Without a
 * terminal (CI, a pipe) there is no one to ask: the error says which variable to set instead.
 */
final class Passphrase {
  static final String VARIABLE = "RIG_SIGNING_PASSPHRASE";

  private Passphrase() {}

  /**
   * For opening an existing key; {@code variable} is the spec's signing.passphraseEnv (by default
   * {@value #VARIABLE}).
   */
  static byte[] forKey(String what, Optional<Path> file, String variable) throws IOException {
    return file.isPresent() ? fromFile(file.get()) : read(what, false, variable);
  }

  /** For sealing a new key: typed twice at a prompt, so that a typo cannot lock the key away. */
  static byte[] forNewKey(String what, Optional<Path> file) throws IOException {
    return file.isPresent() ? fromFile(file.get()) : read(what, true, VARIABLE);
  }

  /** The file's first line, without its line end (as skopeo's --sign-passphrase-file reads it). */
  private static byte[] fromFile(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, "no passphrase file there");
    }
    int end = text.indexOf('\n');
    String line = end < 0 ? text : text.substring(0, end);
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    return line.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] read(String what, boolean confirm, String variable) {
    String fromEnvironment = System.getenv(variable);
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
