package dev.rig.registry.model;

/** The registry refused our credentials (or needs some and none were found). */
public final class RegistryAuthException extends RegistryException {
  public RegistryAuthException(String message, int status) {
    super(message, status, null);
  }
}
