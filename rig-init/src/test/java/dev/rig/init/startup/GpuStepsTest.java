package dev.rig.init.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.init.config.StartupSettings;
import dev.rig.init.report.OutputSink;
import dev.rig.testkit.Exec;
import dev.rig.testkit.Tools;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GPU driver glue against fake driver libraries built with gcc in a temporary root. */
class GpuStepsTest {
  private static final String LIBDIR = "usr/lib/x86_64-linux-gnu";

  private static StepContext ctx(Path root, Map<String, String> env) {
    return new StepContext(
        root, env, StartupSettings.DEFAULT, new OutputSink(new ByteArrayOutputStream()));
  }

  /** Compiles a shared library with the given SONAME to root/LIBDIR/fileName. */
  static void fakeLibrary(Path root, String fileName, String soname) throws Exception {
    fakeLibrary(root, LIBDIR, fileName, soname);
  }

  static void fakeLibrary(Path root, String libDir, String fileName, String soname)
      throws Exception {
    Tools.require("gcc", "gcc");
    Path dir = root.resolve(libDir);
    Files.createDirectories(dir);
    Path src = root.resolve("fake.c");
    Files.writeString(src, "int cuDriverGetVersion(int *v) { *v = 12040; return 0; }\n");
    Exec.run(
            List.of(
                "gcc",
                "-shared",
                "-fPIC",
                "-Wl,-soname," + soname,
                "-o",
                dir.resolve(fileName).toString(),
                src.toString()))
        .ok();
  }

  @Test
  void fakeLibcudaIsFoundLinkedAndItsVersionRead(@TempDir Path root) throws Exception {
    fakeLibrary(root, "libcuda.so.550.54.14", "libcuda.so.1");
    fakeLibrary(root, "libnvidia-ml.so.550.54.14", "libnvidia-ml.so.1");
    StepResult r = new GpuLibraries().run(ctx(root, Map.of()));
    assertTrue(r.message().startsWith("2 libraries in /usr/lib/x86_64-linux-gnu"), r.message());
    Path dir = root.resolve(LIBDIR);
    assertEquals(
        Path.of("libcuda.so.550.54.14"), Files.readSymbolicLink(dir.resolve("libcuda.so.1")));
    assertEquals(Path.of("libcuda.so.1"), Files.readSymbolicLink(dir.resolve("libcuda.so")));
    assertEquals(
        Path.of("libnvidia-ml.so.550.54.14"),
        Files.readSymbolicLink(dir.resolve("libnvidia-ml.so.1")));
    assertEquals(
        "# written by rig-init at start: where the host put the NVIDIA driver\n/usr/lib/x86_64-linux-gnu\n",
        Files.readString(root.resolve("etc/ld.so.conf.d/rig-nvidia.conf")));

    StepResult ok = new GpuDriver().run(ctx(root, Map.of("CUDA_VERSION", "12.4.1")));
    assertEquals(StepResult.Outcome.OK, ok.outcome(), ok.message());
    assertTrue(
        ok.message()
            .contains("driver 550.54.14 (from /usr/lib/x86_64-linux-gnu/libcuda.so.550.54.14)"),
        ok.message());

    StepResult compat = new GpuDriver().run(ctx(root, Map.of("CUDA_VERSION", "12.8.0")));
    assertEquals(StepResult.Outcome.WARNING, compat.outcome(), compat.message());
    assertTrue(compat.message().contains("minor-version compatibility"), compat.message());

    StepResult old = new GpuDriver().run(ctx(root, Map.of("CUDA_VERSION", "13.0.1")));
    assertEquals(StepResult.Outcome.FAILED, old.outcome(), old.message());
    assertTrue(
        old.message().contains("too old for CUDA 13.0, which needs driver >= 580.65.06. Fix:"),
        old.message());
  }

  @Test
  void cudaCompatIsEnabledOnlyWhenTheDriverIsOlderAndCompatIsNewer(@TempDir Path root)
      throws Exception {
    fakeLibrary(root, "libcuda.so.550.54.14", "libcuda.so.1");
    new GpuLibraries().run(ctx(root, Map.of()));
    Path conf = root.resolve("etc/ld.so.conf.d/00-rig-cuda-compat.conf");
    String compatDir = "usr/local/cuda/compat";

    // Driver too old for 12.8, compat libcuda newer than the driver: enabled, sorted first.
    fakeLibrary(root, compatDir, "libcuda.so.570.124.06", "libcuda.so.1");
    StepResult on = new GpuDriver().run(ctx(root, Map.of("CUDA_VERSION", "12.8.0")));
    assertEquals(StepResult.Outcome.WARNING, on.outcome(), on.message());
    assertTrue(
        on.message()
            .contains(
                "enabled CUDA forward compatibility (/usr/local/cuda/compat/libcuda.so.570.124.06"
                    + " first, via /etc/ld.so.conf.d/00-rig-cuda-compat.conf)"),
        on.message());
    assertEquals(
        "# written by rig-init: CUDA forward compatibility for an older host driver\n"
            + "/usr/local/cuda/compat\n",
        Files.readString(conf));
    assertTrue(
        conf.getFileName().toString().compareTo("rig-nvidia.conf") < 0,
        "must sort before the driver's file");

    // The driver is new enough for 12.4: compat is never used, and the stale file goes.
    StepResult off = new GpuDriver().run(ctx(root, Map.of("CUDA_VERSION", "12.4")));
    assertEquals(StepResult.Outcome.OK, off.outcome(), off.message());
    assertTrue(off.message().endsWith("removed a stale " + CudaCompat.CONF), off.message());
    assertFalse(Files.exists(conf));

    // Compat libcuda no newer than the driver: it would not help, so not enabled.
    Files.delete(root.resolve(compatDir).resolve("libcuda.so.570.124.06"));
    fakeLibrary(root, compatDir, "libcuda.so.545.23.06", "libcuda.so.1");
    StepResult older = new GpuDriver().run(ctx(root, Map.of("CUDA_VERSION", "12.8.0")));
    assertTrue(older.message().contains("minor-version compatibility"), older.message());
    assertFalse(Files.exists(conf));
  }

  @Test
  void procVersionWinsOverTheFileName(@TempDir Path root) throws Exception {
    fakeLibrary(root, "libcuda.so.550.54.14", "libcuda.so.1");
    Files.createDirectories(root.resolve("proc/driver/nvidia"));
    Files.writeString(
        root.resolve("proc/driver/nvidia/version"),
        "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  570.133.20  Release Build\n");
    Optional<DriverVersion> v =
        DriverVersion.detect(ctx(root, Map.of()), DriverLibraries.scan(ctx(root, Map.of())));
    assertEquals("570.133.20", v.orElseThrow().version());
  }

  @Test
  void noGpuAndVoidAreSaidPlainly(@TempDir Path root) throws Exception {
    StepResult none = new GpuDriver().run(ctx(root, Map.of("CUDA_VERSION", "12.4")));
    assertEquals(
        "no GPU: no NVIDIA driver in this container; services start without one", none.message());
    StepResult v = new GpuDriver().run(ctx(root, Map.of("NVIDIA_VISIBLE_DEVICES", "void")));
    assertTrue(v.message().startsWith("no GPU: NVIDIA_VISIBLE_DEVICES=void"), v.message());
    Files.createDirectories(root.resolve("usr/lib/wsl/lib"));
    assertTrue(new GpuDriver().run(ctx(root, Map.of())).message().startsWith("WSL2"));
  }

  @Test
  void sonameIsReadFromRealLibraries(@TempDir Path root) throws Exception {
    fakeLibrary(root, "libnvidia-weird.so.550.54.14", "libnvidia-weird.so.7");
    assertEquals(
        Optional.of("libnvidia-weird.so.7"),
        ElfSoname.read(root.resolve(LIBDIR).resolve("libnvidia-weird.so.550.54.14")));
    assertEquals(
        Optional.of("libc.so.6"), ElfSoname.read(Path.of("/lib/x86_64-linux-gnu/libc.so.6")));
    assertEquals(
        Optional.empty(), ElfSoname.read(Files.writeString(root.resolve("text"), "no elf")));
  }

  @Test
  void driverTableAndVersionOrder() {
    assertEquals(Optional.of("550.54.14"), CudaDriverTable.minimumDriver("12.4"));
    assertEquals(Optional.of("560.28.03"), CudaDriverTable.minimumDriver("12.7"));
    assertEquals(Optional.of("570.26"), CudaDriverTable.minimumDriver("12.8"));
    assertEquals(Optional.empty(), CudaDriverTable.minimumDriver("10.2"));
    assertTrue(DriverVersion.compare("570.26", "570.124.06") < 0);
    assertTrue(DriverVersion.compare("550.54.14", "525.60.13") > 0);
    assertEquals("12.4", CudaDriverTable.majorMinor("cuda>=12.4 brand=tesla"));
  }
}
