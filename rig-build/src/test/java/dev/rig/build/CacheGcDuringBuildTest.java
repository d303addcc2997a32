package dev.rig.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.build.cache.CacheReport;
import dev.rig.build.cache.GcLimits;
import dev.rig.build.cache.GcReport;
import dev.rig.build.cache.ImageUse;
import dev.rig.build.cache.KindTotal;
import dev.rig.build.event.BuildEvent;
import dev.rig.build.result.BuiltImage;
import dev.rig.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gc never breaks a running build: started while a cold build is half way, it waits for the build
 * to end (the build finishes with the digest of a clean build), then collects.
 */
class CacheGcDuringBuildTest {
  @TempDir Path dir;

  @Test
  void aGcStartedDuringABuildWaitsAndTheBuildGivesTheCleanDigest() throws Exception {
    Path spec = spec();
    Path cache = dir.resolve("cache");
    String clean = build(RigSettings.defaults(cache), spec);

    CacheReport report;
    try (Rig rig = Rig.open(RigSettings.defaults(cache))) {
      report = rig.cacheReport();
    }
    ImageUse used = report.images().get(0);
    assertEquals("gcbusy:latest", used.reference());
    assertEquals(clean, used.digest());
    assertEquals(spec.toAbsolutePath().normalize(), used.project());
    assertEquals(0, report.unusedEntries(), "everything the build made is in its record");
    assertTrue(blobs(report) >= 3, report.kinds().toString());

    // Empty the cache, so the next build is cold and writes while the gc waits.
    try (Rig rig = Rig.open(RigSettings.defaults(cache))) {
      assertEquals(0, rig.collectCache(new GcLimits(0, 0), false).sizeAfter());
    }

    CountDownLatch buildHalfWay = new CountDownLatch(1);
    CountDownLatch gcWaiting = new CountDownLatch(1);
    Rig building =
        Rig.open(
            RigSettings.defaults(cache)
                .withListener(
                    event -> {
                      if (event instanceof BuildEvent.ImageStarted) {
                        buildHalfWay.countDown();
                        await(gcWaiting);
                      }
                    }));
    CompletableFuture<String> build =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return building.build(building.load(Optional.of(spec)), List.of()).get(0).digest();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    assertTrue(buildHalfWay.await(60, TimeUnit.SECONDS));
    Rig collecting =
        Rig.open(
            RigSettings.defaults(cache)
                .withListener(
                    event -> {
                      if (event instanceof BuildEvent.Notice notice
                          && notice.text().startsWith("waiting for the builds running")) {
                        gcWaiting.countDown();
                      }
                    }));
    CompletableFuture<GcReport> gc =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return collecting.collectCache(new GcLimits(0, 0), false);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    assertEquals(clean, build.get(60, TimeUnit.SECONDS), "the build a gc waited for");
    Thread.sleep(200);
    assertFalse(gc.isDone(), "the gc waits until the build's Rig is closed");
    building.close();
    GcReport collected = gc.get(60, TimeUnit.SECONDS);
    collecting.close();
    assertEquals(0, collected.sizeAfter());
    assertTrue(collected.removed().size() >= 3, collected.removed().toString());
    assertEquals(
        List.of("gcbusy:latest"),
        collected.droppedImages().stream().map(ImageUse::reference).toList());

    assertEquals(clean, build(RigSettings.defaults(cache), spec), "rebuilt after the gc");
  }

  @Test
  void aRigThatReleasedTheCacheDoesNotHoldUpAGc() throws Exception {
    Path spec = spec();
    Path cache = dir.resolve("cache");
    try (Rig building = Rig.open(RigSettings.defaults(cache));
        Rig collecting = Rig.open(RigSettings.defaults(cache))) {
      building.build(building.load(Optional.of(spec)), List.of());
      building.releaseCache();
      CompletableFuture<GcReport> gc =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return collecting.collectCache(new GcLimits(Long.MAX_VALUE, 0), false);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      assertEquals(0, gc.get(30, TimeUnit.SECONDS).removed().size());
    }
  }

  private Path spec() throws Exception {
    Path busybox = Tools.require("busybox", "busybox-static");
    Files.writeString(dir.resolve("hello.txt"), "hello\n");
    Path spec = dir.resolve("rig.yaml");
    Files.writeString(
        spec,
        "images:\n"
            + "  gcbusy:\n"
            + "    cmd: [/bin/busybox, cat, /hello.txt]\n"
            + "    copyToRoot:\n"
            + "      - { source: "
            + busybox
            + ", target: /bin/busybox, mode: \"0755\" }\n"
            + "      - { source: hello.txt, target: /hello.txt }\n");
    return spec;
  }

  private static String build(RigSettings settings, Path spec) throws Exception {
    try (Rig rig = Rig.open(settings)) {
      BuiltImage image = rig.build(rig.load(Optional.of(spec)), List.of()).get(0);
      return image.digest();
    }
  }

  private static long blobs(CacheReport report) {
    return report.kinds().stream()
        .filter(k -> k.kind().equals("blobs"))
        .mapToLong(KindTotal::entries)
        .sum();
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the gc never started waiting");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
