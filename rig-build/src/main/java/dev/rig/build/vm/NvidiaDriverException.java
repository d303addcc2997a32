package dev.rig.build.vm;

import java.io.IOException;

/**
 * The guest NVIDIA driver asked for by {@code vm.gpu.nvidiaDriver} cannot be made: no headers for
 * the kernel, a failed module build. The facade reports it at the option's line in the spec.
 */
public final class NvidiaDriverException extends IOException {
  private final String hint;

  public NvidiaDriverException(String problem, String hint) {
    super(problem);
    this.hint = hint;
  }

  public NvidiaDriverException(String problem, String hint, Throwable cause) {
    super(problem, cause);
    this.hint = hint;
  }

  /** How to fix it. */
  public String hint() {
    return hint;
  }
}
