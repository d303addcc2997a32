package dev.rig.testkit;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The contract every parser of outside data must keep, checked for one input: it returns a value,
 * or throws one of its declared error types with a message (naming the input, when the parser is
 * given a name for it); never another exception, never a JVM error, never a hang.
 */
public final class BadInput {
  /** Long enough for a slow CI machine, short enough that a hang ends a property quickly. */
  public static final Duration LIMIT = Duration.ofSeconds(5);

  /** Failures whose message says nothing a user could act on, even when their type is allowed. */
  private static final List<Class<? extends Throwable>> NEVER =
      List.of(NumberFormatException.class, IndexOutOfBoundsException.class);

  private BadInput() {}

  /** A parse that may throw anything; the check decides whether what it threw was allowed. */
  @FunctionalInterface
  public interface Parse {
    void run() throws Throwable;
  }

  /**
   * Runs {@code parse} once under {@link #LIMIT}.
   *
   * @param input describes the input in the failure message (for reproducing it)
   * @param mustName a name the error message must contain (e.g. the file the parser was told it
   *     reads); empty when the parser is given no name
   * @param allowed the error types the parser declares
   */
  @SafeVarargs
  public static void check(
      String input, Optional<String> mustName, Parse parse, Class<? extends Throwable>... allowed) {
    Throwable thrown =
        assertTimeoutPreemptively(
            LIMIT,
            () -> {
              try {
                parse.run();
                return null;
              } catch (Throwable t) {
                return t;
              }
            },
            () -> "parser hung on " + input);
    if (thrown == null) {
      return;
    }
    boolean declared = List.of(allowed).stream().anyMatch(c -> c.isInstance(thrown));
    boolean useless = NEVER.stream().anyMatch(c -> c.isInstance(thrown));
    if (!declared || useless) {
      throw new AssertionError("undeclared " + thrown + " on " + input, thrown);
    }
    String message = thrown.getMessage();
    if (message == null || message.isBlank()) {
      fail(thrown.getClass().getName() + " without a message on " + input, thrown);
    }
    if (mustName.isPresent() && !message.contains(mustName.get())) {
      fail("error does not name " + mustName.get() + ": '" + message + "' on " + input, thrown);
    }
  }

  /** A short printable description of bytes for failure messages. */
  public static String describe(byte[] bytes) {
    StringBuilder out = new StringBuilder(bytes.length + " bytes: ");
    for (int i = 0; i < Math.min(bytes.length, 160); i++) {
      int b = bytes[i] & 0xff;
      out.append(
          b >= 0x20 && b < 0x7f && b != '\\'
              ? String.valueOf((char) b)
              : String.format("\\x%02x", b));
    }
    return bytes.length > 160 ? out + "..." : out.toString();
  }
}
