package dev.rig.build.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rig cache} and {@code rig cache gc} on a cache made by hand: real hard links between
 * unpacked trees and stages, temporary files of a process that is gone and of one that runs, usage
 * records of two images built at different times.
 */
class CacheAdminTest {
  private static final GcLimits NO_CAP = new GcLimits(Long.MAX_VALUE, 0);
  private static final String OLD = "blobs/sha256/" + "a".repeat(64);
  private static final String NEW = "blobs/sha256/" + "b".repeat(64);

  @TempDir Path cache;

  @Test
  void aFileSharedByHardLinksIsCountedOnce() throws Exception {
    Path unpacked = file("unpacked/1111/tree/usr/bin/tool", 1000);
    Files.createDirectories(cache.resolve("stages/s1/usr/bin"));
    Files.createLink(cache.resolve("stages/s1/usr/bin/tool"), unpacked);
    file("stages/s1/etc/own", 300);
    file(NEW, 200);

    CacheReport report = CacheAdmin.report(cache);

    assertEquals(1500, report.bytes(), "1000 shared + 300 + 200, the shared file once");
    Map<String, KindTotal> kinds =
        report.kinds().stream().collect(Collectors.toMap(KindTotal::kind, k -> k));
    assertEquals(1000, kinds.get("unpacked").bytes());
    assertEquals(300, kinds.get("stages").bytes(), "the linked file counts in unpacked/");
    assertEquals(1, kinds.get("stages").entries());
    assertEquals(200, kinds.get("blobs").bytes());
    assertEquals(0, kinds.get("rootfs").entries());
  }

  @Test
  void gcRemovesWhatNoRecentBuildUsedAndKeepsWhatItDid() throws Exception {
    file("debs/1111.deb", 100);
    file("unpacked/1111/tree/f", 100);
    file("debs/2222.deb", 100);
    file("unpacked/2222/tree/f", 100);
    file("rootfs/old/etc/f", 5000);
    file("rootfs/now/etc/f", 700);
    file("java/old/java/bin/java", 400);
    file("java/now/java/bin/java", 30);
    file(NEW, 50);
    record(
        "now:latest",
        Instant.parse("2026-12-01T00:00:00Z"),
        NEW,
        "debs/1111.deb",
        "unpacked/1111",
        "rootfs/now",
        "java/now");

    CacheReport before = CacheAdmin.report(cache);
    assertEquals(4, before.unusedEntries());
    assertEquals(5600, before.reclaimableBytes());
    assertEquals(List.of("now:latest"), before.images().stream().map(ImageUse::reference).toList());
    assertEquals(5, before.images().get(0).entries());

    GcReport gc = CacheAdmin.collect(cache, NO_CAP, false, line -> {});

    assertEquals(
        Set.of("debs/2222.deb", "unpacked/2222", "rootfs/old", "java/old"),
        gc.removed().stream().map(GcReport.Removed::entry).collect(Collectors.toSet()));
    assertTrue(gc.removed().stream().allMatch(r -> r.reason().equals("no recent build used it")));
    assertEquals(5600, gc.freed());
    assertFalse(Files.exists(cache.resolve("rootfs/old")));
    assertFalse(Files.exists(cache.resolve("java/old")), "an unused Java runtime is a cache entry");
    assertTrue(Files.exists(cache.resolve("java/now/java/bin/java")));
    assertTrue(Files.exists(cache.resolve("rootfs/now/etc/f")));
    assertTrue(Files.exists(cache.resolve("debs/1111.deb")));
    assertTrue(Files.exists(cache.resolve(NEW)));
    assertEquals(0, CacheAdmin.report(cache).reclaimableBytes());
    assertNoTemporaryNames(cache.resolve("rootfs"));
  }

  @Test
  void leftoversOfAProcessThatIsGoneAreReclaimedAndThoseOfARunningOneKept() throws Exception {
    long gone = deadPid();
    long running = ProcessHandle.current().pid();
    file("rootfs/.tmp-" + gone + "-abc/usr/big", 4000);
    file("debs/.tmp-" + gone + "-x.deb.part", 10);
    file("rootfs/.tmp-" + running + "-def/usr/big", 4000);
    file("layers/gzip-rig1/.tmp-" + gone + "-y.part", 5);

    CacheReport report = CacheAdmin.report(cache);
    assertEquals(3, report.leftovers());
    assertEquals(4015, report.reclaimableBytes());

    GcReport gc = CacheAdmin.collect(cache, NO_CAP, false, line -> {});

    assertEquals(3, gc.removed().size());
    assertTrue(gc.removed().stream().allMatch(r -> r.reason().contains("interrupted")));
    assertFalse(Files.exists(cache.resolve("rootfs/.tmp-" + gone + "-abc")));
    assertFalse(Files.exists(cache.resolve("debs/.tmp-" + gone + "-x.deb.part")));
    assertTrue(Files.exists(cache.resolve("rootfs/.tmp-" + running + "-def/usr/big")));
  }

  @Test
  void theCapEvictsTheLeastRecentlyBuiltImageFirst() throws Exception {
    file(OLD, 1000);
    file("rootfs/old/f", 1000);
    file(NEW, 1000);
    file("rootfs/new/f", 1000);
    file("debs/3333.deb", 500);
    record("old:1", Instant.parse("2026-11-01T00:00:00Z"), OLD, "rootfs/old", "debs/3333.deb");
    record("new:1", Instant.parse("2026-12-01T00:00:00Z"), NEW, "rootfs/new", "debs/3333.deb");

    GcReport gc = CacheAdmin.collect(cache, new GcLimits(3000, 0), false, line -> {});

    assertEquals(
        List.of(OLD, "rootfs/old"),
        gc.removed().stream().map(GcReport.Removed::entry).sorted().toList(),
        "the shared .deb stays with the newer image");
    assertTrue(gc.removed().get(0).reason().startsWith("least recently used: old:1 built"));
    assertEquals(2500, gc.sizeAfter());
    assertEquals(List.of("new:1"), gc.keptImages().stream().map(ImageUse::reference).toList());
    assertEquals(List.of("old:1"), gc.droppedImages().stream().map(ImageUse::reference).toList());
    assertEquals(
        List.of("new:1"),
        UsageRecords.in(cache).readAll().stream().map(UsageRecord::reference).toList());
    assertTrue(Files.exists(cache.resolve("rootfs/new/f")));

    GcReport empty = CacheAdmin.collect(cache, new GcLimits(0, 0), false, line -> {});
    assertEquals(0, empty.sizeAfter());
    assertTrue(UsageRecords.in(cache).readAll().isEmpty());
  }

  @Test
  void aHardLinkedFileIsFreedOnlyWhenItsLastLinkGoes() throws Exception {
    Path shared = file("unpacked/4444/tree/lib.so", 8000);
    Files.createDirectories(cache.resolve("stages/old"));
    Files.createLink(cache.resolve("stages/old/lib.so"), shared);
    record("new:1", Instant.parse("2026-12-01T00:00:00Z"), "unpacked/4444");
    assertEquals(0, CacheAdmin.report(cache).reclaimableBytes());

    GcReport gc = CacheAdmin.collect(cache, NO_CAP, false, line -> {});

    assertEquals(
        List.of("stages/old"), gc.removed().stream().map(GcReport.Removed::entry).toList());
    assertEquals(0, gc.removed().get(0).bytes(), "unpacked/ still links the file");
    assertEquals(8000, gc.sizeAfter());
    assertTrue(Files.exists(shared));
  }

  @Test
  void aBlobAlsoLinkedFromAnOutputLeavesTheCacheButFreesNothing(@TempDir Path out)
      throws Exception {
    Path blob = file(NEW, 3000);
    Files.createLink(out.resolve("exported"), blob);
    record("new:1", Instant.parse("2026-12-01T00:00:00Z"), NEW);

    GcReport gc = CacheAdmin.collect(cache, new GcLimits(0, 0), false, line -> {});

    assertEquals(3000, gc.sizeBefore());
    assertEquals(0, gc.sizeAfter(), "the cap counts what the cache holds");
    assertEquals(0, gc.freed(), "the output still links the blob");
    assertTrue(Files.exists(out.resolve("exported")));
  }

  @Test
  void layerIndexRecordsGoWithTheBlobTheyPointAt() throws Exception {
    String diffId = "d".repeat(64);
    file(OLD, 100);
    Files.writeString(file("layers/gzip-rig1/" + diffId, 0), "sha256:" + "a".repeat(64) + " 100\n");
    Files.writeString(file("layers/inputs/" + "e".repeat(64), 0), "sha256:" + diffId + " 999\n");
    file("layers/paths/" + "f".repeat(64), 0);

    GcReport gc = CacheAdmin.collect(cache, NO_CAP, false, line -> {});

    assertEquals(
        List.of(OLD, "layers/gzip-rig1/" + diffId, "layers/inputs/" + "e".repeat(64)),
        gc.removed().stream().map(GcReport.Removed::entry).toList());
    assertTrue(Files.exists(cache.resolve("layers/paths/" + "f".repeat(64))));
  }

  @Test
  void aDamagedUsageRecordProtectsNothingAndBreaksNothing() throws Exception {
    file("rootfs/now/f", 10);
    record("now:1", Instant.parse("2026-12-01T00:00:00Z"), "rootfs/now");
    Files.writeString(cache.resolve("usage/torn.usage"), "rig-usage/1\nreference half");

    List<UsageRecord> records = UsageRecords.in(cache).readAll();

    assertEquals(List.of("now:1"), records.stream().map(UsageRecord::reference).toList());
    assertEquals(Set.of("rootfs/now"), records.get(0).entries());
    assertEquals(cache.resolve("project/rig.pkl"), records.get(0).project());
  }

  @Test
  void aDryRunRemovesNothing() throws Exception {
    file("rootfs/old/f", 100);

    GcReport gc = CacheAdmin.collect(cache, NO_CAP, true, line -> {});

    assertEquals(1, gc.removed().size());
    assertTrue(Files.exists(cache.resolve("rootfs/old/f")));
  }

  @Test
  void limitsComeFromTheFlagThenTheEnvironmentThenTheDefault() {
    assertEquals(20L << 30, GcLimits.parse("20G", "--max-size"));
    assertEquals(1536L << 20, GcLimits.parse("1.5GiB", "--max-size"));
    assertEquals(512L << 20, GcLimits.parse("512m", "--max-size"));
    assertEquals(0, GcLimits.parse("0", "--max-size"));
    GcLimits limits =
        GcLimits.of(
            java.util.Optional.of("1G"),
            java.util.Optional.empty(),
            Map.of("RIG_CACHE_MAX", "5G", "RIG_CACHE_MIN_FREE", "2G"));
    assertEquals(new GcLimits(1L << 30, 2L << 30), limits);
    assertEquals(
        GcLimits.defaults(),
        GcLimits.of(java.util.Optional.empty(), java.util.Optional.empty(), Map.of()));
    IllegalArgumentException bad =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                GcLimits.of(
                    java.util.Optional.empty(),
                    java.util.Optional.empty(),
                    Map.of("RIG_CACHE_MAX", "20 gigs")));
    assertTrue(
        bad.getMessage().contains("RIG_CACHE_MAX '20 gigs' is not a size"), bad.getMessage());
  }

  @Test
  void aBuildThatLeavesTheDiskNearlyFullSaysHowToMakeRoom() {
    assertEquals(java.util.Optional.empty(), GcLimits.lowDiskWarning(cache, 6L << 30));
    assertEquals(
        java.util.Optional.of(
            "the disk holding the cache "
                + cache
                + " has 1.5 GiB free, under 5.0 GiB: `rig cache` shows what the cache holds,"
                + " `rig cache gc` removes what no recent build used"),
        GcLimits.lowDiskWarning(cache, 1536L << 20));
  }

  private Path file(String relative, int size) throws IOException {
    Path path = cache.resolve(relative);
    Files.createDirectories(path.getParent());
    Files.write(path, new byte[size]);
    return path;
  }

  private void record(String reference, Instant built, String... entries) throws IOException {
    UsageRecords.in(cache)
        .write(
            new UsageRecord(
                reference, cache.resolve("project/rig.pkl"), "sha256:0", built, Set.of(entries)));
  }

  private static long deadPid() throws Exception {
    Process process = new ProcessBuilder("true").start();
    process.waitFor();
    return process.pid();
  }

  private static void assertNoTemporaryNames(Path dir) throws IOException {
    try (var names = Files.list(dir)) {
      assertEquals(
          List.of(), names.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList());
    }
  }
}
