package dev.rig.build.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.oci.layer.Content;
import dev.rig.oci.layer.LayerEntry;
import dev.rig.oci.layer.LayerInput;
import dev.rig.spec.BaseImageRef;
import dev.rig.spec.CopyToRoot;
import dev.rig.spec.CudaSpec;
import dev.rig.spec.ImageSpec;
import dev.rig.spec.PackagesSpec;
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
        Optional.empty());
  }

  @Test
  void eachCopyGetsALayerOnTopOfTheBaseFilesystem() throws IOException {
    ImagePlan plan = Planner.plan(spec(50, copies(3), Optional.empty()), 0);
    assertEquals(4, plan.layers().size());
    assertEquals(BaseFilesystem.CREATED_BY, plan.layers().get(0).createdBy());
    assertEquals("copyToRoot /opt/f0", plan.layers().get(1).createdBy());
    assertEquals(List.of("PATH=/bin", "LANG=C.UTF-8"), plan.env());
  }

  @Test
  void copiesPastTheBudgetShareTheLastLayer() throws IOException {
    ImagePlan plan = Planner.plan(spec(3, copies(5), Optional.empty()), 0);
    assertEquals(3, plan.layers().size());
    LayerInput last = plan.layers().get(2);
    assertEquals("copyToRoot /opt/f1 /opt/f2 /opt/f3 /opt/f4", last.createdBy());
    assertEquals(4, last.entries().size());
  }

  @Test
  void oneLayerHoldsEverythingWhenMaxLayersIsOne() throws IOException {
    ImagePlan plan = Planner.plan(spec(1, copies(2), Optional.empty()), 0);
    assertEquals(1, plan.layers().size());
    List<String> paths = plan.layers().get(0).entries().stream().map(LayerEntry::path).toList();
    assertTrue(paths.contains("/etc/passwd") && paths.contains("/opt/f1"), paths.toString());
  }

  @Test
  void aBaseThatFillsTheBudgetIsAnError() throws IOException {
    Optional<BaseImageRef> base = Optional.of(new BaseImageRef.OciLayoutRef(dir, "x"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Planner.plan(spec(4, copies(1), base), 4));
    assertTrue(e.getMessage().contains("raise maxLayers"), e.getMessage());
    assertEquals(1, Planner.plan(spec(5, copies(1), base), 4).layers().size());
  }

  @Test
  void aLaterCopyOfTheSamePathWins() throws IOException {
    List<CopyToRoot> two = copies(2);
    CopyToRoot again = new CopyToRoot(two.get(1).source(), "/opt/f0", OptionalInt.empty(), 0, 0);
    ImagePlan plan = Planner.plan(spec(2, List.of(two.get(0), again), Optional.empty()), 0);
    LayerInput layer = plan.layers().get(1);
    assertEquals(1, layer.entries().size());
    assertEquals("/opt/f0", layer.entries().get(0).path());
  }

  @Test
  void anImageWithPackagesGetsCudaVariablesAndTheHomeLayerBelowItsCopies() {
    LayerInput packages =
        new LayerInput(List.of(LayerEntry.directory("/usr", 0755, 0, 0)), "packages");
    ImagePlan plan =
        Planner.plan(dev.rig.build.TestSpecs.withPackages("python3"), 0, List.of(packages));
    assertEquals(
        List.of("packages", dev.rig.build.home.HomeLayer.CREATED_BY),
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
        "PATH=/usr/local/nvidia/bin:/usr/bin:/bin",
        path(Planner.plan(spec, 0, List.of(libraries))));
    assertEquals(
        "PATH=/usr/local/nvidia/bin:/usr/bin:/bin", path(Planner.plan(spec, 0)), "no packages");

    // nvcc installed: bin is there through the /usr/local/cuda link.
    LayerInput tools =
        new LayerInput(
            List.of(
                LayerEntry.directory("/usr/local/cuda-12.4/bin", 0755, 0, 0),
                LayerEntry.symlink("/usr/local/cuda-12.4/bin/nvcc", "/usr/bin/nvcc", 0, 0)),
            "top");
    assertEquals("PATH=" + PATH, path(Planner.plan(spec, 0, List.of(libraries, tools))));

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
    assertEquals("PATH=" + PATH, path(Planner.plan(spec, 0, List.of(nvidia))));

    // A base image's files are unknown here: its PATH is kept.
    Optional<BaseImageRef> base = Optional.of(new BaseImageRef.OciLayoutRef(dir, "x"));
    assertEquals("PATH=" + PATH, path(Planner.plan(spec(50, List.of(), base, PATH), 1)));
  }
}
