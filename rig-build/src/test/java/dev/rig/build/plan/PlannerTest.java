package dev.rig.build.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.build.TestSpecs;
import dev.rig.build.home.HomeLayer;
import dev.rig.build.runtime.RuntimeLayer;
import dev.rig.oci.layer.Content;
import dev.rig.oci.layer.LayerEntry;
import dev.rig.oci.layer.LayerInput;
import dev.rig.spec.BaseImageRef;
import dev.rig.spec.CopyToRoot;
import dev.rig.spec.CudaSpec;
import dev.rig.spec.ImageSpec;
import dev.rig.spec.PackagesSpec;
import dev.rig.spec.PythonSpec;
import dev.rig.spec.RuntimeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlannerTest {
  @TempDir Path dir;

  private List<CopyToRoot> copies(int n) throws IOException {
    List<CopyToRoot> copies = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Path file = dir.resolve("f" + i);
      Files.writeString(file, "file " + i);
      copies.add(new CopyToRoot(file, "/opt/f" + i, OptionalInt.of(0644), 0, 0));
    }
    return copies;
  }

  private static ImageSpec spec(
      int maxLayers, List<CopyToRoot> copies, Optional<BaseImageRef> from) {
    return spec(maxLayers, copies, from, "/bin");
  }

  private static ImageSpec spec(
      int maxLayers, List<CopyToRoot> copies, Optional<BaseImageRef> from, String path) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", path);
    env.put("LANG", "C.UTF-8");
    return new ImageSpec(
        "img",
        "1",
        env,
        Map.of("a", "b"),
        List.of("22/tcp"),
        "root",
        "/root",
        List.of(),
        List.of("/bin/sh"),
        copies,
        maxLayers,
        List.of(),
        from,
        "linux/amd64",
        PackagesSpec.NONE,
        RuntimeSpec.DEFAULT,
        CudaSpec.DEFAULT,
        Optional.empty(),
        PythonSpec.NONE,
        dev.rig.spec.VmSpec.DEFAULT);
  }

  /** The preparation a build makes (host files read), then the plan, which reads nothing. */
  private static ImagePlan plan(ImageSpec spec, int baseLayers) throws IOException {
    return plan(spec, baseLayers, List.of());
  }

  private static ImagePlan plan(ImageSpec spec, int baseLayers, List<LayerInput> packageLayers)
      throws IOException {
    return Planner.plan(
        new PreparedImage(
            spec,
            baseLayers,
            packageLayers,
            Optional.empty(),
            HomeLayer.layer(spec),
            HostFiles.read(spec)));
  }

  @Test
  void eachCopyGetsALayerOnTopOfTheBaseFilesystem() throws IOException {
    ImagePlan plan = plan(spec(50, copies(3), Optional.empty()), 0);
    assertEquals(4, plan.layers().size());
    assertEquals(BaseFilesystem.CREATED_BY, plan.layers().get(0).createdBy());
    assertEquals("copyToRoot /opt/f0", plan.layers().get(1).createdBy());
    assertEquals(List.of("PATH=/bin", "LANG=C.UTF-8"), plan.env());
  }

  @Test
  void copiesPastTheBudgetShareTheLastLayer() throws IOException {
    ImagePlan plan = plan(spec(3, copies(5), Optional.empty()), 0);
    assertEquals(3, plan.layers().size());
    LayerInput last = plan.layers().get(2);
    assertEquals("copyToRoot /opt/f1 /opt/f2 /opt/f3 /opt/f4", last.createdBy());
    assertEquals(4, last.entries().size());
  }

  @Test
  void oneLayerHoldsEverythingWhenMaxLayersIsOne() throws IOException {
    ImagePlan plan = plan(spec(1, copies(2), Optional.empty()), 0);
    assertEquals(1, plan.layers().size());
    List<String> paths = plan.layers().get(0).entries().stream().map(LayerEntry::path).toList();
    assertTrue(paths.contains("/etc/passwd") && paths.contains("/opt/f1"), paths.toString());
  }

  @Test
  void aBaseThatFillsTheBudgetIsAnError() throws IOException {
    Optional<BaseImageRef> base = Optional.of(new BaseImageRef.OciLayoutRef(dir, "x"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> plan(spec(4, copies(1), base), 4));
    assertTrue(e.getMessage().contains("raise maxLayers"), e.getMessage());
    assertEquals(1, plan(spec(5, copies(1), base), 4).layers().size());
  }

  @Test
  void aLaterCopyOfTheSamePathWins() throws IOException {
    List<CopyToRoot> two = copies(2);
    CopyToRoot again = new CopyToRoot(two.get(1).source(), "/opt/f0", OptionalInt.empty(), 0, 0);
    ImagePlan plan = plan(spec(2, List.of(two.get(0), again), Optional.empty()), 0);
    LayerInput layer = plan.layers().get(1);
    assertEquals(1, layer.entries().size());
    assertEquals("/opt/f0", layer.entries().get(0).path());
  }

  @Test
  void anImageWithPackagesGetsCudaVariablesAndTheHomeLayerBelowItsCopies() throws IOException {
    LayerInput packages =
        new LayerInput(List.of(LayerEntry.directory("/usr", 0755, 0, 0)), "packages");
    ImageSpec spec = TestSpecs.withPackages("python3");
    ImagePlan plan =
        Planner.plan(
            new PreparedImage(
                spec, 0, List.of(packages), Optional.empty(), HomeLayer.layer(spec), List.of()));
    assertEquals(
        List.of("packages", HomeLayer.CREATED_BY),
        plan.layers().stream().map(LayerInput::createdBy).toList());
    assertEquals(
        List.of(
            "PATH=/usr/bin:/bin",
            "CUDA_VERSION=12.4",
            "NVIDIA_REQUIRE_CUDA=cuda>=12.4,driver>=550.54.14",
            "NVIDIA_DRIVER_CAPABILITIES=compute,utility",
            "NVIDIA_VISIBLE_DEVICES=all",
            "LD_LIBRARY_PATH=/usr/local/nvidia/lib64:/usr/local/nvidia/lib"),
        plan.env());
  }

  /** The planner decides the entrypoint: rig-init under tini for an image it runs. */
  @Test
  void theRuntimeEntrypointIsPlannedUnlessTheSpecNamesOne() throws IOException {
    ImageSpec spec = TestSpecs.withPackages("python3");
    LayerInput packages = new LayerInput(List.of(), "packages");
    LayerInput runtime = new LayerInput(List.of(), "runtime");
    ImagePlan plan =
        Planner.plan(
            new PreparedImage(
                spec, 0, List.of(packages), Optional.of(runtime), Optional.empty(), List.of()));
    assertEquals(RuntimeLayer.ENTRYPOINT, plan.entrypoint());
    assertEquals(
        List.of("packages", "runtime"), plan.layers().stream().map(LayerInput::createdBy).toList());
    assertEquals(List.of(), plan(spec(5, List.of(), Optional.empty()), 0).entrypoint());
  }

  /** One budget: what packages may use is what the other parts leave. */
  @Test
  void packagesGetWhatTheOtherPartsLeave() throws IOException {
    ImageSpec spec = TestSpecs.withPackages("python3");
    // maxLayers minus the runtime's and home's layer each.
    assertEquals(spec.maxLayers() - 2, LayerBudget.of(spec, 0).forPackages("img"));
    assertEquals(spec.maxLayers() - 5, LayerBudget.of(spec, 3).forPackages("img"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LayerBudget.of(spec, spec.maxLayers() - 2).forPackages("img"));
    assertTrue(e.getMessage().contains("raise maxLayers"), e.getMessage());
  }

  private static final String PATH = "/usr/local/nvidia/bin:/usr/local/cuda/bin:/usr/bin:/bin";

  private static String path(ImagePlan plan) {
    return plan.env().stream().filter(v -> v.startsWith("PATH=")).findFirst().orElseThrow();
  }

  @Test
  void pathNamesCudasBinOnlyWhenTheImageHasThatDirectory() throws IOException {
    ImageSpec spec = spec(50, List.of(), Optional.empty(), PATH);
    // Debian's libraries alone: /usr/local/cuda-12.4 holds lib64 and no bin.
    LayerInput libraries =
        new LayerInput(
            List.of(
                LayerEntry.symlink("/usr/local/cuda", "cuda-12.4", 0, 0),
                LayerEntry.directory("/usr/local/cuda-12.4", 0755, 0, 0),
                LayerEntry.directory("/usr/local/cuda-12.4/lib64", 0755, 0, 0)),
            "packages");
    assertEquals(
        "PATH=/usr/local/nvidia/bin:/usr/bin:/bin", path(plan(spec, 0, List.of(libraries))));
    assertEquals("PATH=/usr/local/nvidia/bin:/usr/bin:/bin", path(plan(spec, 0)), "no packages");

    // nvcc installed: bin is there through the /usr/local/cuda link.
    LayerInput tools =
        new LayerInput(
            List.of(
                LayerEntry.directory("/usr/local/cuda-12.4/bin", 0755, 0, 0),
                LayerEntry.symlink("/usr/local/cuda-12.4/bin/nvcc", "/usr/bin/nvcc", 0, 0)),
            "top");
    assertEquals("PATH=" + PATH, path(plan(spec, 0, List.of(libraries, tools))));

    // NVIDIA's packages: /usr/local/cuda -> /etc/alternatives/cuda -> /usr/local/cuda-12.8,
    // with bin implied by the files under it.
    LayerInput nvidia =
        new LayerInput(
            List.of(
                LayerEntry.symlink("/usr/local/cuda", "/etc/alternatives/cuda", 0, 0),
                LayerEntry.symlink("/etc/alternatives/cuda", "/usr/local/cuda-12.8", 0, 0),
                LayerEntry.file(
                    "/usr/local/cuda-12.8/bin/nvcc", Content.ofBytes(new byte[0]), 0755, 0, 0)),
            "packages");
    assertEquals("PATH=" + PATH, path(plan(spec, 0, List.of(nvidia))));

    // A base image's files are unknown here: its PATH is kept.
    Optional<BaseImageRef> base = Optional.of(new BaseImageRef.OciLayoutRef(dir, "x"));
    assertEquals("PATH=" + PATH, path(plan(spec(50, List.of(), base, PATH), 1)));
  }
}
