package dev.rig.apt.control;

/** Malformed control data; the message names the file and line. */
public final class ControlFileException extends RuntimeException {
  public ControlFileException(String message) {
    super(message);
  }

  public ControlFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
