package dev.rig.python.resolve;

import java.util.List;

/**
 * No set of wheels satisfies the requirements on the target. The message names the project, the
 * requirements that clash with the chain that brought each in ({@code numpy<2 (from 'scipy==1.9.0'
 * -> scipy 1.9.0)}) and what would fix it; {@link #chain} holds those lines.
 */
public final class ResolutionException extends Exception {
  private final List<String> chain;

  public ResolutionException(String message, List<String> chain) {
    super(message);
    this.chain = List.copyOf(chain);
  }

  /** The requirements that clash, each with how it came in. */
  public List<String> chain() {
    return chain;
  }
}
