package dev.rig.build.python;

import java.io.IOException;

/**
 * A Python venv that cannot be locked or built as the spec asks; the message says how to fix it.
 */
public final class PythonException extends IOException {
  public PythonException(String message) {
    super(message);
  }
}
