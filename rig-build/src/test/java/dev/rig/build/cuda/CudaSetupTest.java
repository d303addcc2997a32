package dev.rig.build.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.build.TestSpecs;
import dev.rig.oci.layer.EntryType;
import dev.rig.oci.layer.LayerEntry;
import dev.rig.spec.AptRepositorySpec;
import dev.rig.spec.CudaSpec;
import dev.rig.spec.EnvironmentSpec;
import dev.rig.spec.ImageSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CudaSetupTest {
  @TempDir Path root;

  @Test
  void requireCudaNamesTheReleaseAndItsMinimumDriver() {
    assertEquals("cuda>=12.4,driver>=550.54.14", CudaSetup.requireCuda("12.4"));
    assertEquals("cuda>=12.8,driver>=570.26", CudaSetup.requireCuda("12.8"));
    assertEquals("cuda>=13.0,driver>=580.65.06", CudaSetup.requireCuda("13.0"));
    assertThrows(IllegalArgumentException.class, () -> CudaSetup.requireCuda("12.7"));
  }

  @Test
  void anImageWithPackagesGetsTheToolkitsVariables() {
    Map<String, String> env = CudaSetup.env(TestSpecs.withPackages("python3"));
    assertEquals(
        Map.of(
            "CUDA_VERSION", "12.4",
            "NVIDIA_REQUIRE_CUDA", "cuda>=12.4,driver>=550.54.14",
            "NVIDIA_DRIVER_CAPABILITIES", "compute,utility",
            "NVIDIA_VISIBLE_DEVICES", "all",
            "LD_LIBRARY_PATH", "/usr/local/nvidia/lib64:/usr/local/nvidia/lib"),
        env);
    assertEquals(
        List.of(
            "CUDA_VERSION",
            "NVIDIA_REQUIRE_CUDA",
            "NVIDIA_DRIVER_CAPABILITIES",
            "NVIDIA_VISIBLE_DEVICES",
            "LD_LIBRARY_PATH"),
        List.copyOf(env.keySet()));
  }

  @Test
  void theSpecsOwnValuesWinAndCapabilitiesAreJoined() {
    CudaSpec cuda =
        new CudaSpec(
            true,
            "12.4",
            Optional.empty(),
            CudaSpec.DEBIAN_12_4,
            List.of("compute", "utility", "video"),
            false);
    ImageSpec spec =
        TestSpecs.image(
            Map.of("NVIDIA_VISIBLE_DEVICES", "0"),
            TestSpecs.packages(List.of("python3"), List.of(), EnvironmentSpec.DEFAULT),
            cuda,
            Optional.empty());
    Map<String, String> env = CudaSetup.env(spec);
    assertFalse(env.containsKey("NVIDIA_VISIBLE_DEVICES"), "the spec sets it");
    assertEquals("compute,utility,video", env.get("NVIDIA_DRIVER_CAPABILITIES"));
  }

  @Test
  void noCudaWithoutPackagesOrWhenOff() throws Exception {
    ImageSpec none =
        TestSpecs.image(
            Map.of(),
            TestSpecs.packages(List.of(), List.of(), EnvironmentSpec.DEFAULT),
            CudaSpec.DEFAULT,
            Optional.empty());
    assertEquals(Map.of(), CudaSetup.env(none));
    assertEquals(List.of(), CudaSetup.packages(none));
    CudaSpec off =
        new CudaSpec(false, "12.4", Optional.empty(), List.of(), List.of("compute"), false);
    ImageSpec disabled =
        TestSpecs.image(
            Map.of(),
            TestSpecs.packages(List.of("python3"), List.of(), EnvironmentSpec.DEFAULT),
            off,
            Optional.empty());
    assertEquals(Map.of(), CudaSetup.env(disabled));
    assertEquals(List.of(), CudaSetup.files(disabled, root));
  }

  @Test
  void driverPackagesInAResolvedSetAreRefusedWithTheReason() {
    List<String> resolved =
        List.of("libc6", "libcudart12", "libcuda1", "libnvidia-ptxjitcompiler1", "python3");
    assertEquals(
        List.of("libcuda1", "libnvidia-ptxjitcompiler1"), CudaSetup.driverPackages(resolved));
    assertTrue(CudaSetup.isDriverPackage("nvidia-driver-libs"));
    assertTrue(CudaSetup.isDriverPackage("nvidia-kernel-dkms"));
    assertTrue(CudaSetup.isDriverPackage("cuda-drivers-570"));
    assertFalse(CudaSetup.isDriverPackage("libcudart12"));
    assertFalse(CudaSetup.isDriverPackage("nvidia-cuda-toolkit"));

    ImageSpec spec = TestSpecs.withPackages("python3", "libcuda1");
    String problem = CudaSetup.driverPackageProblem(spec, resolved).orElseThrow();
    assertTrue(
        problem.startsWith("image 'img': libcuda1, libnvidia-ptxjitcompiler1 carry"), problem);
    assertTrue(problem.contains("injects the driver"), problem);
    assertTrue(problem.contains("cuda.allowDriverPackages = true"), problem);
    assertEquals(
        Optional.empty(), CudaSetup.driverPackageProblem(spec, List.of("libc6", "libcudart12")));

    CudaSpec allow =
        new CudaSpec(
            true, "12.4", Optional.empty(), CudaSpec.DEBIAN_12_4, List.of("compute"), true);
    ImageSpec allowed =
        TestSpecs.image(
            Map.of(),
            TestSpecs.packages(List.of("libcuda1"), List.of(), EnvironmentSpec.DEFAULT),
            allow,
            Optional.empty());
    assertEquals(Optional.empty(), CudaSetup.driverPackageProblem(allowed, resolved));
  }

  @Test
  void debianLibrariesGetAUsrLocalCudaTreeAndMissingToolkitFilesAreAdded() throws Exception {
    Files.createDirectories(root.resolve("usr/sbin"));
    Files.writeString(root.resolve("usr/sbin/ldconfig"), "");
    Files.createSymbolicLink(root.resolve("sbin"), Path.of("usr/sbin"));
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/ld.so.conf"), "include /etc/ld.so.conf.d/*.conf\n");
    List<LayerEntry> files = CudaSetup.files(TestSpecs.withPackages("python3"), root);
    Map<String, LayerEntry> byPath =
        files.stream().collect(Collectors.toMap(LayerEntry::path, e -> e));
    assertEquals(
        java.util.Set.of("/usr/local/cuda", "/usr/local/cuda-12.4", "/usr/local/cuda-12.4/lib64"),
        byPath.keySet());
    assertEquals("cuda-12.4", byPath.get("/usr/local/cuda").linkTarget());
    assertEquals(
        "/usr/lib/x86_64-linux-gnu", byPath.get("/usr/local/cuda-12.4/lib64").linkTarget());

    // A root without ld.so.conf gets one with the include line.
    Files.delete(root.resolve("etc/ld.so.conf"));
    LayerEntry conf =
        CudaSetup.files(TestSpecs.withPackages("python3"), root).stream()
            .filter(e -> e.path().equals("/etc/ld.so.conf"))
            .findFirst()
            .orElseThrow();
    assertEquals(EntryType.FILE, conf.type());
  }

  @Test
  void nvidiasRepositoryOnlyGetsTheUsrLocalCudaLinkWhenThePackagesLackOne() throws Exception {
    AptRepositorySpec repo =
        new AptRepositorySpec(
            "https://cuda-repo.example.invalid/debian12/x86_64/",
            List.of("/"),
            List.of(),
            "-----BEGIN PGP PUBLIC KEY BLOCK-----");
    CudaSpec cuda =
        new CudaSpec(
            true, "12.8", Optional.of(repo), List.of("cuda-cudart-12-8"), List.of(), false);
    ImageSpec spec =
        TestSpecs.image(
            Map.of(),
            TestSpecs.packages(List.of("python3"), List.of(), EnvironmentSpec.DEFAULT),
            cuda,
            Optional.empty());
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/ld.so.conf"), "include /etc/ld.so.conf.d/*.conf\n");
    assertEquals(
        List.of("/usr/local/cuda"),
        CudaSetup.files(spec, root).stream().map(LayerEntry::path).toList());
    Files.createDirectories(root.resolve("usr/local"));
    Files.createSymbolicLink(root.resolve("usr/local/cuda"), Path.of("/etc/alternatives/cuda"));
    assertEquals(List.of(), CudaSetup.files(spec, root));
    assertEquals("cuda>=12.8,driver>=570.26", CudaSetup.env(spec).get("NVIDIA_REQUIRE_CUDA"));
  }
}
