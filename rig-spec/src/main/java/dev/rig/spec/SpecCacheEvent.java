package dev.rig.spec;

import java.nio.file.Path;

/** What the {@link SpecCache} did for one spec: a hit spares the Pkl evaluation. */
public sealed interface SpecCacheEvent {
  /** The spec file. */
  Path spec();

  /** The cached result was used: every input it recorded is unchanged. */
  record Hit(Path spec) implements SpecCacheEvent {}

  /** The spec is evaluated: there was no usable entry, for the given reason. */
  record Miss(Path spec, String reason) implements SpecCacheEvent {}

  /** The evaluated spec was cached, with how many inputs it read. */
  record Stored(Path spec, int inputs) implements SpecCacheEvent {}

  /** The evaluated spec was not cached, for the given reason. */
  record NotStored(Path spec, String reason) implements SpecCacheEvent {}
}
