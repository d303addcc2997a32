package dev.rig.build.home;

import java.io.IOException;

/** A git home could not be resolved or checked out; the message says what and how to fix it. */
public final class HomeException extends IOException {
  public HomeException(String message) {
    super(message);
  }
}
