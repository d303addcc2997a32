package dev.rig.python.version;

/** A version or version specifier that PEP 440 does not allow; the message says what it is. */
public final class InvalidVersionException extends IllegalArgumentException {
  public InvalidVersionException(String message) {
    super(message);
  }
}
