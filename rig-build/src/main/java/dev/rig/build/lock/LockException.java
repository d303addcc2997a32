package dev.rig.build.lock;

import java.io.IOException;

/** rig.lock does not hold for the spec (or cannot be read); the message says how to fix it. */
public final class LockException extends IOException {
  public LockException(String message) {
    super(message);
  }

  public LockException(String message, Throwable cause) {
    super(message, cause);
  }
}
