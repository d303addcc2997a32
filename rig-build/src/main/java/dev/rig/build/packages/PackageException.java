package dev.rig.build.packages;

import java.io.IOException;

/** A package step failed in a way the user can fix; the message says what and how. */
public final class PackageException extends IOException {
  public PackageException(String message) {
    super(message);
  }

  public PackageException(String message, Throwable cause) {
    super(message, cause);
  }
}
