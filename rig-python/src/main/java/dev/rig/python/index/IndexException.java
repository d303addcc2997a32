package dev.rig.python.index;

import java.io.IOException;

/**
 * An index answered something rig cannot use (a page that does not parse, metadata whose hash is
 * wrong). The message names the URL without credentials and says what to check.
 */
public final class IndexException extends IOException {
  public IndexException(String message) {
    super(message);
  }

  public IndexException(String message, Throwable cause) {
    super(message, cause);
  }
}
