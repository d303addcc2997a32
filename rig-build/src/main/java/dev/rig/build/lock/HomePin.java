package dev.rig.build.lock;

import java.util.Objects;

/**
 * A git home as rig.lock records it: the repository and ref the spec named, and the commit that ref
 * named when it was locked.
 */
public record HomePin(String url, String ref, String commit) {
  public HomePin {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(commit, "commit");
  }

  /** Whether this pin was made for the same repository and ref. */
  public boolean pins(String url, String ref) {
    return this.url.equals(url) && this.ref.equals(ref);
  }
}
