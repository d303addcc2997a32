package dev.rig.init.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells from /proc/mounts (under the step's root, so tests can fake it) which filesystem holds a
 * path: the mount with the longest mount point that is a prefix of it.
 */
final class TmpfsCheck {
  private TmpfsCheck() {}

  /** The filesystem type of the mount holding {@code containerPath}; null when unknown. */
  static String fsType(StepContext ctx, String containerPath) {
    Path mounts = ctx.path("/proc/mounts");
    if (!Files.isReadable(mounts)) {
      return null;
    }
    String best = null;
    int bestLen = -1;
    try {
      for (String line : Files.readAllLines(mounts)) {
        String[] f = line.split(" ");
        if (f.length < 3) {
          continue;
        }
        String point = f[1].replace("\\040", " ");
        boolean covers =
            point.equals("/")
                || containerPath.equals(point)
                || containerPath.startsWith(point + "/");
        if (covers && point.length() > bestLen) {
          best = f[2];
          bestLen = point.length();
        }
      }
    } catch (IOException e) {
      return null;
    }
    return best;
  }

  static boolean isMemory(String fsType) {
    return "tmpfs".equals(fsType) || "ramfs".equals(fsType);
  }
}
