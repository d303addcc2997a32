package dev.rig.build.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.build.TestSpecs;
import dev.rig.build.cuda.CudaSetup;
import dev.rig.build.lock.ImageLock;
import dev.rig.build.lock.LockedPackage;
import dev.rig.spec.CudaSpec;
import dev.rig.spec.EnvironmentSpec;
import dev.rig.spec.ImageSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every environment set and the CUDA 12.4 packages resolve against the live Debian trixie indexes
 * (the mirror this machine's apt uses, or RIG_DEBIAN_MIRROR), without pulling in a driver package;
 * asking for libcuda1 is refused with the explanation.
 */
class TrixieSetsResolveTest {
  @Test
  void everySetAndCudaResolveFromTrixieWithoutDriverPackages() throws Exception {
    ImageSpec spec =
        TestSpecs.image(
            Map.of(),
            TestSpecs.packages(
                List.of("python3"), List.of(), new EnvironmentSpec(true, true, true, true)),
            CudaSpec.DEFAULT,
            Optional.empty());
    List<RepoSource> sources = RepoSources.ofSystem().sources("img", spec.packages());
    List<String> requests = PackageStage.requests(spec);
    ImageLock lock = PackageResolver.resolve("img", requests, sources, false);
    Set<String> names =
        lock.packages().stream().map(LockedPackage::name).collect(Collectors.toSet());
    for (String request : requests) {
      assertTrue(names.contains(request), request + " is not in the resolved set");
    }
    assertEquals(List.of(), CudaSetup.driverPackages(names));
    PackageStage.refuseDriverPackages(spec, lock);

    ImageSpec driver =
        TestSpecs.image(
            Map.of(),
            TestSpecs.packages(List.of("libcuda1"), List.of(), EnvironmentSpec.NONE),
            new CudaSpec(false, "12.4", Optional.empty(), List.of(), List.of("compute"), false),
            Optional.empty());
    ImageLock withDriver =
        PackageResolver.resolve("img", PackageStage.requests(driver), sources, false);
    PackageException e =
        assertThrows(
            PackageException.class, () -> PackageStage.refuseDriverPackages(driver, withDriver));
    assertTrue(e.getMessage().startsWith("image 'img': libcuda1"), e.getMessage());
    assertTrue(e.getMessage().contains("NVIDIA driver libraries"), e.getMessage());
  }
}
