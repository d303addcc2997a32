package dev.rig.init.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Directories a minimal image lacks and programs expect. Only directories this step creates get a
 * mode; an existing /workspace is most likely a mounted volume and is never touched (no chown, no
 * chmod). /tmp is the one exception: it must be 1777 or every non-root program breaks.
 */
public final class RuntimeDirs implements StartupStep {
  private static final String[][] DIRS = {
    {"/run/sshd", "rwxr-xr-x"}, // sshd's privilege-separation directory, root 0755
    {"/var/empty", "rwxr-xr-x"},
    {"/var/log", "rwxr-xr-x"},
    {"/workspace", "rwxr-xr-x"},
  };

  @Override
  public String name() {
    return "directories";
  }

  @Override
  public StepResult run(StepContext ctx) throws Exception {
    List<String> created = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Path tmp = ctx.path("/tmp");
    if (!Files.isDirectory(tmp)) {
      Files.createDirectories(tmp);
      created.add("/tmp");
    }
    // Java cannot set the sticky bit, so chmod(1) does it; only when needed, as a process start
    // is a measurable part of the time before sshd (images made by rig already have 1777).
    if (!isSticky777(tmp)) {
      Commands.Output chmod = Commands.run(List.of("chmod", "1777", tmp.toString()), null, 10);
      if (!chmod.ok()) {
        problems.add("cannot make /tmp 1777: " + chmod.firstLine());
      }
    }
    for (String[] d : DIRS) {
      Path p = ctx.path(d[0]);
      if (Files.isDirectory(p)) {
        continue;
      }
      try {
        Files.createDirectories(p);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(d[1]));
        created.add(d[0]);
      } catch (Exception e) {
        problems.add("cannot create " + d[0] + ": " + e.getMessage());
      }
    }
    String did = created.isEmpty() ? "all present" : "created " + String.join(", ", created);
    if (!problems.isEmpty()) {
      return StepResult.warning(name(), did + "; " + String.join("; ", problems));
    }
    return StepResult.ok(name(), did + "; /tmp is 1777");
  }

  /** Whether the directory's mode is exactly 1777; false when the mode cannot be read. */
  static boolean isSticky777(Path dir) {
    try {
      return ((Integer) Files.getAttribute(dir, "unix:mode") & 07777) == 01777;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }
}
