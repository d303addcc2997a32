package dev.rig.build.packages;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.build.event.BuildListener;
import dev.rig.build.lock.LockStore;
import dev.rig.spec.ImageSpec;
import dev.rig.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packages are resolved for amd64 only: another platform is refused before any download. */
class PackageStagePlatformTest {
  @TempDir Path dir;

  @Test
  void packagesForAnotherPlatformAreRefusedWithTheFix() throws Exception {
    Path spec = dir.resolve("rig.yaml");
    Files.writeString(
        spec, "images:\n  arm:\n    platform: linux/arm64\n    packages: [python3]\n");
    ImageSpec image = SpecLoader.load(spec).images().get("arm");
    PackageStage stage =
        new PackageStage(
            dir.resolve("cache"),
            Instant.EPOCH,
            RepoSources.ofSystem(),
            LockStore.open(dir.resolve("rig.lock"), LockStore.Mode.USE, Set.of()),
            BuildListener.NONE);
    PackageException e = assertThrows(PackageException.class, () -> stage.layers(image, 10));
    assertTrue(e.getMessage().contains("image 'arm'"), e.getMessage());
    assertTrue(e.getMessage().contains("platform = \"linux/amd64\""), e.getMessage());
  }
}
