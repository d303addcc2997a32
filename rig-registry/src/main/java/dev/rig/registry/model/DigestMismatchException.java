package dev.rig.registry.model;

/** Content received from (or accepted by) a registry does not hash to the digest it should. */
public final class DigestMismatchException extends RegistryException {
  public DigestMismatchException(String message) {
    super(message);
  }
}
