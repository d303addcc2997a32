package dev.rig.python.install;

import java.io.IOException;

/** A wheel that cannot be installed: broken, unsafe or in conflict with another; says which. */
public final class WheelException extends IOException {
  public WheelException(String message) {
    super(message);
  }
}
