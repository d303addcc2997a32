package dev.rig.build.home;

import java.io.IOException;

/**
 * Where a git home's ref gets its commit: from rig.lock while it holds one for the same repository
 * and ref, else from the repository (and then recorded), so that a branch moving does not change a
 * locked build.
 */
@FunctionalInterface
public interface HomePins {
  /** Asks the repository which commit the ref names now. */
  @FunctionalInterface
  interface Resolve {
    String resolve() throws IOException;
  }

  /** The commit to check out for {@code image}'s home at {@code url} and {@code ref}. */
  String pin(String image, String url, String ref, Resolve resolve) throws IOException;

  /** No lock: every build asks the repository. */
  HomePins NONE = (image, url, ref, resolve) -> resolve.resolve();
}
