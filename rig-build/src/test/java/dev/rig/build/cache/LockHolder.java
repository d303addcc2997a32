package dev.rig.build.cache;

import java.nio.file.Path;

/**
 * A second process that holds a cache the way a build does (shared), until its stdin closes: {@link
 * CacheLockTest} runs a gc beside it.
 */
public final class LockHolder {
  private LockHolder() {}

  public static void main(String[] args) throws Exception {
    try (CacheLock.Lease lease = CacheLock.shared(Path.of(args[0]), line -> {})) {
      System.out.println("held");
      System.out.flush();
      while (System.in.read() != -1) {
        // Held until the test closes our stdin.
      }
    }
  }
}
