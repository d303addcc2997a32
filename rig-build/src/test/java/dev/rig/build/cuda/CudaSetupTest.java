package dev.rig.build.cuda;

import static java.nio.charset.StandardCharsets.UTF_8;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

  /** A Debian root as dpkg leaves it: libc, python3, two CUDA libraries and NCCL. */
  private void debianRoot() throws IOException {
    Files.createDirectories(root.resolve("usr/sbin"));
    Files.writeString(root.resolve("usr/sbin/ldconfig"), "");
    Files.createSymbolicLink(root.resolve("sbin"), Path.of("usr/sbin"));
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/ld.so.conf"), "include /etc/ld.so.conf.d/*.conf\n");
    install("libc6", "2.41-12", "glibc", "/usr/lib/x86_64-linux-gnu/libc.so.6");
    install("python3", "3.13.5-1", "python3-defaults", "/usr/bin/python3");
    install(
        "libcudart12",
        "12.4.131~12.4.1-3",
        "nvidia-cuda-toolkit",
        "/usr/lib/x86_64-linux-gnu/libcudart.so.12.4.127",
        "/usr/lib/x86_64-linux-gnu/libcudart.so.12 -> libcudart.so.12.4.127",
        "/usr/share/doc/libcudart12/copyright");
    install(
        "libcublas12",
        "12.4.5.8~12.4.1-3",
        "nvidia-cuda-toolkit",
        "/usr/lib/x86_64-linux-gnu/libcublas.so.12.4.5.8",
        "/usr/lib/x86_64-linux-gnu/libcublas.so.12 -> libcublas.so.12.4.5.8");
    install(
        "libnccl2",
        "2.21.5-1",
        "nccl",
        "/usr/lib/x86_64-linux-gnu/libnccl.so.2.21.5",
        "/usr/lib/x86_64-linux-gnu/libnccl.so.2 -> libnccl.so.2.21.5");
  }

  /**
   * Installs {@code name} as dpkg would: its files ("PATH" or "PATH -> TARGET"), its .list (named
   * NAME:amd64.list, as for Multi-Arch: same) and its stanza in the status file.
   */
  private void install(String name, String version, String source, String... files)
      throws IOException {
    StringBuilder list = new StringBuilder();
    for (String file : files) {
      String[] parts = file.split(" -> ");
      Path host = root.resolve(parts[0].substring(1));
      Files.createDirectories(host.getParent());
      if (parts.length == 2) {
        Files.createSymbolicLink(host, Path.of(parts[1]));
      } else {
        Files.writeString(host, name);
      }
      // dpkg lists each parent directory too.
      for (String parent : dev.rig.oci.layer.ImagePaths.parents(parts[0])) {
        list.append(parent).append('\n');
      }
      list.append(parts[0]).append('\n');
    }
    Path info = Files.createDirectories(root.resolve("var/lib/dpkg/info"));
    Files.writeString(info.resolve(name + ":amd64.list"), list.toString());
    String stanza =
        "Package: "
            + name
            + "\nStatus: install ok installed\nArchitecture: amd64\n"
            + (source.equals(name) ? "" : "Source: " + source + " (" + version + ")\n")
            + "Version: "
            + version
            + "\n\n";
    Files.writeString(
        root.resolve("var/lib/dpkg/status"),
        stanza,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /** The entries as "PATH" (directory), "PATH -> TARGET" (link) or "PATH: TEXT" (file). */
  private static List<String> describe(List<LayerEntry> entries) throws IOException {
    List<String> lines = new ArrayList<>();
    for (LayerEntry e : entries) {
      lines.add(
          switch (e.type()) {
            case DIRECTORY -> e.path();
            case SYMLINK -> e.path() + " -> " + e.linkTarget();
            case FILE -> e.path() + ": " + new String(e.content().open().readAllBytes(), UTF_8);
            case HARDLINK -> e.path() + " => " + e.linkTarget();
          });
    }
    return lines;
  }

  private static final String VERSION_JSON =
      "/usr/local/cuda-12.4/version.json: {\n  \"cuda\": {\n    \"name\": \"CUDA SDK\",\n"
          + "    \"version\": \"12.4.1\"\n  }\n}\n";

  @Test
  void debianLibrariesGetALib64LinkPerCudaLibraryAndNoBinOrIncludeWithoutTools() throws Exception {
    debianRoot();
    assertEquals(
        List.of(
            "/usr/local/cuda -> cuda-12.4",
            "/usr/local/cuda-12.4",
            "/usr/local/cuda-12.4/lib64",
            "/usr/local/cuda-12.4/lib64/libcublas.so.12 -> /usr/lib/x86_64-linux-gnu/libcublas.so.12",
            "/usr/local/cuda-12.4/lib64/libcublas.so.12.4.5.8"
                + " -> /usr/lib/x86_64-linux-gnu/libcublas.so.12.4.5.8",
            "/usr/local/cuda-12.4/lib64/libcudart.so.12 -> /usr/lib/x86_64-linux-gnu/libcudart.so.12",
            "/usr/local/cuda-12.4/lib64/libcudart.so.12.4.127"
                + " -> /usr/lib/x86_64-linux-gnu/libcudart.so.12.4.127",
            "/usr/local/cuda-12.4/lib64/libnccl.so.2 -> /usr/lib/x86_64-linux-gnu/libnccl.so.2",
            "/usr/local/cuda-12.4/lib64/libnccl.so.2.21.5"
                + " -> /usr/lib/x86_64-linux-gnu/libnccl.so.2.21.5",
            VERSION_JSON),
        describe(CudaSetup.files(TestSpecs.withPackages("python3"), root)));

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
  void toolsAndHeadersFromCudasSourcePackagesGetBinAndInclude() throws Exception {
    debianRoot();
    // Asked for in `packages`, not cuda.packages: the same source as libcudart12 makes it CUDA's.
    install(
        "nvidia-cuda-toolkit",
        "12.4.131~12.4.1-3",
        "nvidia-cuda-toolkit",
        "/usr/bin/nvcc -> ../lib/nvidia-cuda-toolkit/bin/nvcc",
        "/usr/bin/cuobjdump",
        "/usr/lib/nvidia-cuda-toolkit/bin/nvcc");
    install(
        "nvidia-cuda-dev",
        "12.4.131~12.4.1-3",
        "nvidia-cuda-toolkit",
        "/usr/include/cuda_runtime.h",
        "/usr/include/crt/host_config.h",
        "/usr/lib/x86_64-linux-gnu/libcudart.so -> libcudart.so.12",
        "/usr/lib/x86_64-linux-gnu/libcudart_static.a");
    List<String> tree =
        describe(CudaSetup.files(TestSpecs.withPackages("python3", "nvidia-cuda-toolkit"), root));
    assertEquals(
        List.of(
            "/usr/local/cuda-12.4/bin",
            "/usr/local/cuda-12.4/bin/cuobjdump -> /usr/bin/cuobjdump",
            "/usr/local/cuda-12.4/bin/nvcc -> /usr/bin/nvcc",
            "/usr/local/cuda-12.4/include",
            "/usr/local/cuda-12.4/include/crt -> /usr/include/crt",
            "/usr/local/cuda-12.4/include/cuda_runtime.h -> /usr/include/cuda_runtime.h"),
        tree.stream().filter(l -> l.contains("/bin") || l.contains("/include")).toList());
    assertTrue(
        tree.contains(
            "/usr/local/cuda-12.4/lib64/libcudart.so -> /usr/lib/x86_64-linux-gnu/libcudart.so"),
        tree.toString());
    assertTrue(
        tree.contains(
            "/usr/local/cuda-12.4/lib64/libcudart_static.a"
                + " -> /usr/lib/x86_64-linux-gnu/libcudart_static.a"),
        tree.toString());
    assertFalse(
        tree.stream().anyMatch(l -> l.contains("python3") || l.contains("libc.so")),
        tree.toString());
  }

  @Test
  void listedFilesTheRootLacksAndLinksOutOfTheRootGetNothing(@TempDir Path outside)
      throws Exception {
    debianRoot();
    // Slimmed away after dpkg listed it.
    Files.delete(root.resolve("usr/lib/x86_64-linux-gnu/libnccl.so.2.21.5"));
    Files.delete(root.resolve("usr/lib/x86_64-linux-gnu/libnccl.so.2"));
    List<String> tree = describe(CudaSetup.files(TestSpecs.withPackages("python3"), root));
    assertFalse(tree.stream().anyMatch(l -> l.contains("nccl")), tree.toString());

    // A package's link to a host directory is read inside the root, where it names nothing.
    Path hostLib = Files.createDirectories(outside.resolve("lib"));
    Files.writeString(hostLib.resolve("libnccl.so.2.21.5"), "host");
    Files.createSymbolicLink(hostLib.resolve("libnccl.so.2"), Path.of("libnccl.so.2.21.5"));
    Path multiarch = root.resolve("usr/lib/x86_64-linux-gnu");
    Path moved = root.resolve("usr/lib/moved");
    Files.move(multiarch, moved);
    Files.createSymbolicLink(multiarch, hostLib);
    tree = describe(CudaSetup.files(TestSpecs.withPackages("python3"), root));
    assertFalse(tree.stream().anyMatch(l -> l.contains("/lib64")), tree.toString());

    // dpkg's status as a link to a host file is not read either.
    Files.delete(multiarch);
    Files.move(moved, multiarch);
    Path status = root.resolve("var/lib/dpkg/status");
    Files.move(status, outside.resolve("status"));
    Files.createSymbolicLink(status, outside.resolve("status"));
    tree = describe(CudaSetup.files(TestSpecs.withPackages("python3"), root));
    assertEquals(List.of("/usr/local/cuda -> cuda-12.4", "/usr/local/cuda-12.4"), tree);
  }

  @Test
  void theReleaseComesFromLibcudartsUpstreamVersion() {
    assertEquals(Optional.of("12.4.1"), CudaTree.release("12.4.131~12.4.1-3"));
    assertEquals(Optional.of("11.8.0"), CudaTree.release("11.8.89~11.8.0-5"));
    assertEquals(Optional.of("12.4.1"), CudaTree.release("1:12.4.1-1"));
    assertEquals(Optional.of("12.4"), CudaTree.release("12.4"));
    assertEquals(Optional.empty(), CudaTree.release("git20240101"));
  }

  @Test
  void pathWithoutBinDropsOnlyCudasBinEntries() {
    assertEquals(
        "/usr/local/nvidia/bin:/usr/local/bin:/usr/bin",
        CudaSetup.pathWithoutBin(
            "/usr/local/nvidia/bin:/usr/local/cuda/bin:/usr/local/bin:/usr/bin"));
    assertEquals("/usr/bin", CudaSetup.pathWithoutBin("/usr/local/cuda/bin/:/usr/bin"));
    assertEquals("/usr/bin:/bin", CudaSetup.pathWithoutBin("/usr/bin:/bin"));
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
