package dev.rig.init.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host driver's version, from the kernel module's own report when /proc shows it, else from the
 * libcuda.so.&lt;version&gt; file name the injector copied in. Never from nvidia-smi's "CUDA
 * Version" header, which is the driver's maximum CUDA, not its version.
 */
public record DriverVersion(String version, String source) {
  private static final Pattern PROC =
      Pattern.compile("Kernel Module(?: for \\S+)?\\s+(\\d+\\.\\d+(?:\\.\\d+)?)");
  private static final Pattern LIBCUDA =
      Pattern.compile("libcuda\\.so\\.(\\d+\\.\\d+(?:\\.\\d+)?)");

  public static Optional<DriverVersion> detect(StepContext ctx, List<DriverLibraries.Library> libs)
      throws IOException {
    Path proc = ctx.path("/proc/driver/nvidia/version");
    if (Files.isReadable(proc)) {
      Matcher m = PROC.matcher(Files.readString(proc));
      if (m.find()) {
        return Optional.of(new DriverVersion(m.group(1), "/proc/driver/nvidia/version"));
      }
    }
    for (DriverLibraries.Library lib : libs) {
      Matcher m = LIBCUDA.matcher(lib.fileName());
      if (m.matches()) {
        return Optional.of(new DriverVersion(m.group(1), lib.dir() + "/" + lib.fileName()));
      }
    }
    return Optional.empty();
  }

  /** Compares dotted numeric versions ("550.54.14" vs "525.60.13"); missing parts count as 0. */
  public static int compare(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      long p = i < x.length ? Long.parseLong(x[i]) : 0;
      long q = i < y.length ? Long.parseLong(y[i]) : 0;
      if (p != q) {
        return Long.compare(p, q);
      }
    }
    return 0;
  }
}
