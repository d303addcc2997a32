package dev.rig.init.startup;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CUDA forward compatibility: the cuda-compat package puts a newer user-mode driver (libcuda.so.*)
 * in /usr/local/cuda/compat, which lets a newer CUDA run on an older kernel driver (datacenter GPUs
 * on a supported driver branch only).
 *
 * <p>Decision: enabled only when the host driver is older than the image's CUDA needs and the
 * compat libcuda is newer than the host driver. In every other case it is removed, because a compat
 * libcuda that does not match the kernel module makes cuInit fail
 * (CUDA_ERROR_SYSTEM_DRIVER_MISMATCH) on a host that would have worked without it. Whether cuInit
 * succeeds with it can only be checked on a real GPU.
 */
final class CudaCompat {
  static final String DIR = "/usr/local/cuda/compat";

  /** Sorts before {@link GpuLibraries#CONF}, so ldconfig prefers the compat libcuda. */
  static final String CONF = "/etc/ld.so.conf.d/00-rig-cuda-compat.conf";

  private static final Pattern LIBCUDA =
      Pattern.compile("libcuda\\.so\\.(\\d+\\.\\d+(?:\\.\\d+)?)");

  private CudaCompat() {}

  /** The version of the newest libcuda.so.&lt;version&gt; in the compat directory. */
  static Optional<String> version(StepContext ctx) throws IOException {
    Path dir = ctx.path(DIR);
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    String best = null;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "libcuda.so.*")) {
      for (Path p : entries) {
        Matcher m = LIBCUDA.matcher(p.getFileName().toString());
        if (m.matches() && (best == null || DriverVersion.compare(m.group(1), best) > 0)) {
          best = m.group(1);
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /** Writes the conf file and reruns ldconfig; returns a problem, or null when all went well. */
  static String enable(StepContext ctx) throws IOException {
    AtomicFiles.replace(
        ctx.path(CONF),
        "# written by rig-init: CUDA forward compatibility for an older host driver\n" + DIR + "\n",
        PosixFilePermissions.fromString("rw-r--r--"));
    return ldconfig(ctx);
  }

  /** Removes a conf file left by an earlier start on another host; true when there was one. */
  static boolean disable(StepContext ctx) throws IOException {
    if (!Files.deleteIfExists(ctx.path(CONF))) {
      return false;
    }
    ldconfig(ctx);
    return true;
  }

  private static String ldconfig(StepContext ctx) {
    List<String> argv =
        ctx.realRoot() ? List.of("ldconfig") : List.of("ldconfig", "-r", ctx.root().toString());
    Commands.Output out = Commands.run(argv, null, 60);
    return out.ok() ? null : "ldconfig failed (" + out.code() + "): " + out.firstLine();
  }
}
