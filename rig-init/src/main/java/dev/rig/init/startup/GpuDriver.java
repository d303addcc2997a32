package dev.rig.init.startup;

import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

/**
 * Says in one line what GPU situation this container is in: none requested, no driver, WSL2, or a
 * driver version checked against the image's CUDA, with the fix when it is too old. Never fatal:
 * services that need no GPU (sshd, Jupyter) still start.
 */
public final class GpuDriver implements StartupStep {
  @Override
  public String name() {
    return "gpu-driver";
  }

  @Override
  public StepResult run(StepContext ctx) throws Exception {
    String visible = ctx.env("NVIDIA_VISIBLE_DEVICES");
    if (visible != null && (visible.equals("void") || visible.equals("none"))) {
      return StepResult.ok(
          name(), "no GPU: NVIDIA_VISIBLE_DEVICES=" + visible + "; services start without one");
    }
    List<DriverLibraries.Library> libs = DriverLibraries.scan(ctx);
    Optional<DriverVersion> driver = DriverVersion.detect(ctx, libs);
    boolean wsl =
        Files.exists(ctx.path("/dev/dxg")) || Files.isDirectory(ctx.path("/usr/lib/wsl/lib"));
    if (driver.isEmpty()) {
      if (wsl) {
        return StepResult.ok(
            name(), "WSL2 GPU through /dev/dxg (driver from Windows; version not visible here)");
      }
      if (libs.isEmpty()) {
        return StepResult.ok(
            name(), "no GPU: no NVIDIA driver in this container; services start without one");
      }
      return StepResult.warning(
          name(), "driver libraries found but their version is unknown; CUDA not checked");
    }
    DriverVersion d = driver.get();
    String have = "driver " + d.version() + " (from " + d.source() + ")";
    String cuda = cudaVersion(ctx);
    if (cuda == null) {
      return StepResult.ok(name(), have + "; the image declares no CUDA version");
    }
    Optional<String> min = CudaDriverTable.minimumDriver(cuda);
    if (min.isEmpty()) {
      return StepResult.ok(name(), have + "; CUDA " + cuda + " is not in rig's table, not checked");
    }
    if (DriverVersion.compare(d.version(), min.get()) >= 0) {
      String stale = CudaCompat.disable(ctx) ? "; removed a stale " + CudaCompat.CONF : "";
      return StepResult.ok(
          name(), have + "; CUDA " + cuda + " needs >= " + min.get() + ": ok" + stale);
    }
    Optional<String> compat = CudaCompat.version(ctx);
    if (compat.isPresent() && DriverVersion.compare(compat.get(), d.version()) > 0) {
      String problem = CudaCompat.enable(ctx);
      return StepResult.warning(
          name(),
          have
              + " is older than "
              + min.get()
              + " that CUDA "
              + cuda
              + " asks for; enabled CUDA forward compatibility ("
              + CudaCompat.DIR
              + "/libcuda.so."
              + compat.get()
              + " first, via "
              + CudaCompat.CONF
              + "), which works on datacenter GPUs only"
              + (problem == null ? "" : "; " + problem));
    }
    CudaCompat.disable(ctx);
    String floor = CudaDriverTable.majorFloor(cuda).orElse(min.get());
    if (DriverVersion.compare(d.version(), floor) >= 0) {
      return StepResult.warning(
          name(),
          have
              + " is older than "
              + min.get()
              + " that CUDA "
              + cuda
              + " asks for; it runs through minor-version compatibility (>= "
              + floor
              + "), but PTX JIT of newer code fails. Fix: a host with driver >= "
              + min.get());
    }
    return StepResult.failed(
        name(),
        have
            + " is too old for CUDA "
            + cuda
            + ", which needs driver >= "
            + min.get()
            + ". Fix: pick a machine with driver >= "
            + min.get()
            + " (vast.ai: filter on 'Max CUDA' >= "
            + cuda
            + "; RunPod: set the allowed CUDA versions) or build the image with an older CUDA");
  }

  /** The image's CUDA major.minor: runtime.json, then CUDA_VERSION, then NVIDIA_REQUIRE_CUDA. */
  static String cudaVersion(StepContext ctx) {
    for (String v :
        new String[] {
          ctx.settings().cudaVersion(), ctx.env("CUDA_VERSION"), ctx.env("NVIDIA_REQUIRE_CUDA")
        }) {
      if (v != null && CudaDriverTable.majorMinor(v) != null) {
        return CudaDriverTable.majorMinor(v);
      }
    }
    return null;
  }
}
