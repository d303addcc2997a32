package dev.rig.registry.model;

/** The registry's TLS certificate could not be verified. */
public final class RegistryTlsException extends RegistryException {
  public RegistryTlsException(String message, Throwable cause) {
    super(message, 0, cause);
  }
}
