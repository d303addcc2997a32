package dev.rig.build;

import dev.rig.spec.CudaSpec;
import dev.rig.spec.EnvironmentSpec;
import dev.rig.spec.ImageSpec;
import dev.rig.spec.PackagesSpec;
import dev.rig.spec.PythonSpec;
import dev.rig.spec.RuntimeSpec;
import dev.rig.spec.SlimSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Image specs for rig-build's unit tests, built without evaluating Pkl. */
public final class TestSpecs {
  private TestSpecs() {}

  public static PackagesSpec packages(
      List<String> requests, List<String> systemPackages, EnvironmentSpec environment) {
    return new PackagesSpec(
        requests,
        List.of("debian:trixie"),
        List.of(),
        false,
        true,
        SlimSpec.KEEP_ALL,
        systemPackages,
        environment);
  }

  public static ImageSpec image(
      Map<String, String> env, PackagesSpec packages, CudaSpec cuda, Optional<Path> home) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("PATH", "/usr/bin:/bin");
    all.putAll(env);
    return new ImageSpec(
        "img",
        "1",
        all,
        Map.of(),
        List.of(),
        "root",
        "/root",
        List.of(),
        List.of(),
        List.of(),
        50,
        List.of(),
        Optional.empty(),
        "linux/amd64",
        packages,
        RuntimeSpec.DEFAULT,
        cuda,
        home.map(dev.rig.spec.HomeSource.Directory::new),
        PythonSpec.NONE,
        dev.rig.spec.VmSpec.DEFAULT);
  }

  /** An image with {@code packages}, default sets and CUDA. */
  public static ImageSpec withPackages(String... packages) {
    return image(
        Map.of(),
        packages(List.of(packages), List.of(), EnvironmentSpec.DEFAULT),
        CudaSpec.DEFAULT,
        Optional.empty());
  }
}
