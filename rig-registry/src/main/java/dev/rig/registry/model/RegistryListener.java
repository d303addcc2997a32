package dev.rig.registry.model;

/** Receives progress events; called from upload threads, so implementations must be thread-safe. */
@FunctionalInterface
public interface RegistryListener {
  RegistryListener NONE = event -> {};

  void onEvent(RegistryEvent event);
}
