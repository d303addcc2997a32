package dev.rig.build.base;

import java.io.IOException;

/** A base image rig cannot build on as the spec asks; the message says what and how to fix it. */
public final class BaseException extends IOException {
  public BaseException(String message) {
    super(message);
  }
}
