package dev.rig.registry.model;

import java.io.IOException;

/**
 * A registry refused or failed a request in a way retrying will not fix. The message names the
 * registry, the repository, what was being done and what the user can do about it.
 */
public class RegistryException extends IOException {
  private final int status;

  public RegistryException(String message) {
    this(message, 0, null);
  }

  public RegistryException(String message, Throwable cause) {
    this(message, 0, cause);
  }

  public RegistryException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status that caused this, or 0 when there was no response. */
  public int status() {
    return status;
  }
}
