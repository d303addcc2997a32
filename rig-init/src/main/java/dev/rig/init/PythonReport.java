package dev.rig.init;

import dev.rig.init.report.Event;
import dev.rig.init.startup.CudaDriverTable;
import dev.rig.init.startup.DriverLibraries;
import dev.rig.init.startup.DriverVersion;
import dev.rig.init.startup.StepContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The doctor's line about the image's Python venv (VIRTUAL_ENV): its interpreter from pyvenv.cfg,
 * whether that interpreter is there, and, when torch is installed, the CUDA it was built for
 * against the driver. torch is never imported (seconds, and a GPU touched): its version.py is read.
 */
final class PythonReport {
  private static final Pattern CUDA =
      Pattern.compile("(?m)^cuda\\s*(?::[^=]*)?=\\s*['\"]([0-9.]+)['\"]");
  private static final Pattern VERSION =
      Pattern.compile("(?m)^__version__\\s*(?::[^=]*)?=\\s*['\"]([^'\"]+)['\"]");

  private PythonReport() {}

  /** Null when the image has no venv. */
  static Event examine(StepContext ctx) {
    String venv = ctx.env("VIRTUAL_ENV");
    if (venv == null) {
      return null;
    }
    Path cfg = ctx.path(venv + "/pyvenv.cfg");
    if (!Files.isRegularFile(cfg)) {
      return Event.warn("python", "VIRTUAL_ENV=" + venv + " has no pyvenv.cfg: not a venv");
    }
    String text;
    try {
      text = Files.readString(cfg, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return Event.warn("python", "cannot read " + venv + "/pyvenv.cfg: " + e.getMessage());
    }
    String version = field(text, "version");
    String executable = field(text, "executable");
    StringBuilder line = new StringBuilder("venv " + venv);
    line.append(" (Python ").append(version == null ? "?" : version);
    if (executable != null) {
      line.append(", ").append(executable);
      if (!Files.isExecutable(ctx.path(executable))) {
        return Event.warn(
            "python",
            line + ") but " + executable + " is missing: the venv cannot run; rebuild the image");
      }
    }
    line.append(')');
    Path torchVersion = torchVersion(ctx, venv);
    if (torchVersion == null) {
      return Event.info("python", line.toString());
    }
    String source;
    try {
      source = Files.readString(torchVersion, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return Event.warn("python", line + "; cannot read torch/version.py: " + e.getMessage());
    }
    String torch = first(VERSION, source);
    String cuda = first(CUDA, source);
    line.append("; torch ").append(torch == null ? "?" : torch);
    if (cuda == null) {
      return Event.info("python", line.append(" (CPU build, no CUDA)").toString());
    }
    line.append(" built for CUDA ").append(cuda);
    String majorMinor = CudaDriverTable.majorMinor(cuda);
    Optional<String> minimum =
        majorMinor == null ? Optional.empty() : CudaDriverTable.minimumDriver(majorMinor);
    Optional<DriverVersion> driver;
    try {
      List<DriverLibraries.Library> libs = DriverLibraries.scan(ctx);
      driver = DriverVersion.detect(ctx, libs);
    } catch (Exception e) {
      driver = Optional.empty();
    }
    if (driver.isEmpty()) {
      return Event.info("python", line.append("; no driver here to run it on").toString());
    }
    if (minimum.isEmpty()) {
      return Event.info(
          "python",
          line.append("; driver ")
              .append(driver.get().version())
              .append(", CUDA not in rig's table")
              .toString());
    }
    if (DriverVersion.compare(driver.get().version(), minimum.get()) >= 0) {
      return Event.info(
          "python",
          line.append("; driver ")
              .append(driver.get().version())
              .append(" >= ")
              .append(minimum.get())
              .append(": ok")
              .toString());
    }
    return Event.warn(
        "python",
        line.append("; driver ")
            .append(driver.get().version())
            .append(" is older than the ")
            .append(minimum.get())
            .append(
                " it needs: torch will not find the GPU. Fix: a host with a newer driver, or a"
                    + " torch wheel for an older CUDA")
            .toString());
  }

  private static Path torchVersion(StepContext ctx, String venv) {
    Path lib = ctx.path(venv + "/lib");
    if (!Files.isDirectory(lib)) {
      return null;
    }
    try (Stream<Path> pythons = Files.list(lib)) {
      for (Path python : pythons.sorted().toList()) {
        Path version = python.resolve("site-packages/torch/version.py");
        if (Files.isRegularFile(version)) {
          return version;
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  private static String field(String cfg, String key) {
    for (String line : cfg.lines().toList()) {
      int eq = line.indexOf('=');
      if (eq > 0 && line.substring(0, eq).strip().equals(key)) {
        return line.substring(eq + 1).strip();
      }
    }
    return null;
  }

  private static String first(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    return m.find() ? m.group(1) : null;
  }
}
