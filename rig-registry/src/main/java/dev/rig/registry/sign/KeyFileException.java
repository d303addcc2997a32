package dev.rig.registry.sign;

import java.io.IOException;

/** A key file that cannot be used: its format, its passphrase or its curve; says how to fix it. */
public final class KeyFileException extends IOException {
  public KeyFileException(String message) {
    super(message);
  }

  public KeyFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
