package dev.rig.apt.repo;

import java.io.IOException;

/**
 * A Release file whose signature holds but which must still not be used: it has expired, comes from
 * the future, or belongs to another suite than the one asked for (a replay or a swap).
 */
public final class ReleaseRefusedException extends IOException {
  public ReleaseRefusedException(String message) {
    super(message);
  }
}
