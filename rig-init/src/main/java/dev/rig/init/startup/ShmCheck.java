package dev.rig.init.startup;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Warns when /dev/shm is small. Docker's default is 64 MiB, which kills PyTorch DataLoader workers
 * and NCCL with "Bus error"; the fix lives outside the container, so the warning names it per
 * market. It never remounts /dev/shm (that needs privileges markets do not grant).
 */
public final class ShmCheck implements StartupStep {
  @Override
  public String name() {
    return "shm";
  }

  @Override
  public StepResult run(StepContext ctx) throws Exception {
    Path shm = ctx.path("/dev/shm");
    long min = ctx.settings().shmMinBytes();
    if (!Files.isDirectory(shm)) {
      return StepResult.warning(name(), "/dev/shm is missing. " + fix(min));
    }
    long size = Files.getFileStore(shm).getTotalSpace();
    if (size < min) {
      return StepResult.warning(
          name(), "/dev/shm is " + human(size) + ", below " + human(min) + ". " + fix(min));
    }
    return StepResult.ok(name(), "/dev/shm is " + human(size));
  }

  static String fix(long min) {
    String g = Math.max(1, min >> 30) * 8 + "g";
    return "Fix: docker/podman run --shm-size="
        + g
        + " (or --ipc=host); Kubernetes: mount an emptyDir with medium: Memory at /dev/shm;"
        + " vast.ai and RunPod size it with the machine (pick a larger offer or ask support)";
  }

  /** Without String.format: its Formatter and locale data cost every container start ~10 ms. */
  static String human(long bytes) {
    if (bytes >= 1L << 30) {
      long tenths = Math.round(bytes * 10.0 / (1L << 30));
      return tenths / 10 + "." + tenths % 10 + " GiB";
    }
    return (bytes >> 20) + " MiB";
  }
}
