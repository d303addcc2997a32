package dev.rig.registry.model;

/** The repository, manifest or blob does not exist on the registry. */
public final class RegistryNotFoundException extends RegistryException {
  public RegistryNotFoundException(String message) {
    super(message, 404, null);
  }
}
