package dev.rig.build.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.build.TestSpecs;
import dev.rig.spec.CudaSpec;
import dev.rig.spec.EnvironmentSpec;
import dev.rig.spec.ImageSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PackageStageRequestsTest {
  @Test
  void theResolverIsAskedForPackagesRuntimeSetsAndCudaEachOnce() {
    ImageSpec spec =
        TestSpecs.image(
            Map.of(),
            TestSpecs.packages(
                List.of("python3", "git=1:2.47.2-0.2"), List.of("htop"), EnvironmentSpec.DEFAULT),
            CudaSpec.DEFAULT,
            Optional.empty());
    List<String> requests = PackageStage.requests(spec);

    List<String> expected =
        new ArrayList<>(
            List.of(
                "python3",
                "git=1:2.47.2-0.2",
                "htop",
                "apt",
                "tini",
                "libstdc++6",
                "libgcc-s1",
                "zlib1g",
                "openssl",
                "openssh-server"));
    for (String p : EnvironmentSpec.DEFAULT.packages()) {
      if (!p.equals("git") && !p.equals("tini") && !p.equals("openssl")) {
        expected.add(p);
      }
    }
    expected.addAll(CudaSpec.DEBIAN_12_4);
    assertEquals(expected, requests);
    assertTrue(requests.contains("rclone") && !requests.contains("gcc"), "network on, dev off");
  }

  @Test
  void setsTurnOffAndNothingIsAskedForWithoutPackages() {
    ImageSpec spec =
        TestSpecs.image(
            Map.of(),
            TestSpecs.packages(List.of(), List.of("htop"), EnvironmentSpec.NONE),
            new CudaSpec(false, "12.4", Optional.empty(), List.of(), List.of("compute"), false),
            Optional.empty());
    assertEquals(
        List.of(
            "htop",
            "apt",
            "tini",
            "libstdc++6",
            "libgcc-s1",
            "zlib1g",
            "openssl",
            "openssh-server"),
        PackageStage.requests(spec));

    ImageSpec none =
        TestSpecs.image(
            Map.of(),
            TestSpecs.packages(List.of(), List.of(), EnvironmentSpec.DEFAULT),
            CudaSpec.DEFAULT,
            Optional.empty());
    assertEquals(List.of(), PackageStage.requests(none));
  }
}
