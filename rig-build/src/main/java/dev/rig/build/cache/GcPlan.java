package dev.rig.build.cache;

import dev.rig.oci.cache.SizedDigest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a gc removes from a scanned cache, decided before anything is removed:
 *
 * <ol>
 *   <li>leftovers of interrupted runs;
 *   <li>entries of recorded kinds that no usage record lists (no recent build used them);
 *   <li>while the cache is over {@link GcLimits#maxBytes} or its disk under {@link
 *       GcLimits#minFreeBytes} free: the least recently used first, a whole image's record at a
 *       time (its entries that no newer record lists) or one entry of an unrecorded kind;
 *   <li>layer index records that point at what is gone.
 * </ol>
 *
 * @param removals in the order they were chosen, each with the bytes it frees on disk
 * @param kept the usage records that stay, most recent first
 * @param dropped the usage records evicted to meet the limits
 * @param sizeAfter what the cache holds after the removals
 * @param freed what the removals free on disk (less than the cache shrinks by when files are also
 *     linked from outside it)
 */
record GcPlan(
    List<Removal> removals,
    List<ScannedEntry> remaining,
    List<UsageRecord> kept,
    List<UsageRecord> dropped,
    long sizeBefore,
    long sizeAfter,
    long freed,
    long freeBefore) {

  /** One entry to remove, why, and the bytes removing it frees on disk. */
  record Removal(ScannedEntry entry, String reason, long freed) {}

  /**
   * @param records the usage records, most recent first
   * @param usable the bytes free on the cache's disk now
   */
  static GcPlan of(CacheScan.Result scan, List<UsageRecord> records, GcLimits limits, long usable)
      throws IOException {
    return new Planner(scan, records, limits, usable).plan();
  }

  /** The state of one planning run, fenced inside it. */
  private static final class Planner {
    private final CacheScan.Result scan;
    private final GcLimits limits;
    private final long usable;
    private final long before;
    private final DiskUse.Removal count;
    private final List<Removal> removals = new ArrayList<>();
    private final Set<String> removed = new HashSet<>();
    private final Map<String, ScannedEntry> byName = new LinkedHashMap<>();
    private final Map<String, Integer> listedBy = new HashMap<>();
    private final List<UsageRecord> kept;
    private final List<UsageRecord> dropped = new ArrayList<>();

    Planner(CacheScan.Result scan, List<UsageRecord> records, GcLimits limits, long usable) {
      this.scan = scan;
      this.limits = limits;
      this.usable = usable;
      List<ScannedEntry> all = new ArrayList<>(scan.leftovers());
      all.addAll(scan.entries());
      this.before = DiskUse.of(all);
      this.count = new DiskUse(all).removal();
      this.kept = new ArrayList<>(records);
      scan.entries().forEach(entry -> byName.put(entry.name(), entry));
      for (UsageRecord record : records) {
        record.entries().forEach(name -> listedBy.merge(name, 1, Integer::sum));
      }
    }

    GcPlan plan() throws IOException {
      for (ScannedEntry leftover : scan.leftovers()) {
        remove(leftover, "left by an interrupted run");
      }
      for (ScannedEntry entry : scan.entries()) {
        if (entry.kind().tracking() == CacheKind.Tracking.RECORDED
            && !listedBy.containsKey(entry.name())) {
          remove(entry, "no recent build used it");
        }
      }
      evictLeastRecentlyUsed();
      removeDanglingIndex();
      List<ScannedEntry> remaining =
          scan.entries().stream().filter(e -> !removed.contains(e.name())).toList();
      return new GcPlan(
          removals, remaining, kept, dropped, before, before - count.left(), count.freed(), usable);
    }

    private boolean overLimits() {
      return before - count.left() > limits.maxBytes()
          || usable + count.freed() < limits.minFreeBytes();
    }

    private void evictLeastRecentlyUsed() {
      List<ScannedEntry> written =
          new ArrayList<>(
              scan.entries().stream()
                  .filter(e -> e.kind().tracking() == CacheKind.Tracking.WRITTEN)
                  .sorted(Comparator.comparing(ScannedEntry::written))
                  .toList());
      while (overLimits() && (!kept.isEmpty() || !written.isEmpty())) {
        UsageRecord oldest = kept.isEmpty() ? null : kept.get(kept.size() - 1);
        if (oldest != null
            && (written.isEmpty() || !written.get(0).written().isBefore(oldest.built()))) {
          kept.remove(kept.size() - 1);
          dropped.add(oldest);
          for (String name : oldest.entries()) {
            if (listedBy.merge(name, -1, Integer::sum) == 0 && byName.containsKey(name)) {
              remove(
                  byName.get(name),
                  "least recently used: " + oldest.reference() + " built " + oldest.built());
            }
          }
        } else {
          ScannedEntry entry = written.remove(0);
          remove(entry, "least recently used: written " + entry.written());
        }
      }
    }

    /**
     * A layer's compressed record whose blob is gone, then an input key whose diffID has no
     * compressed record left, would only send a build looking for what is not there.
     */
    private void removeDanglingIndex() throws IOException {
      Set<String> blobs = new HashSet<>();
      List<ScannedEntry> compressed = new ArrayList<>();
      List<ScannedEntry> inputs = new ArrayList<>();
      for (ScannedEntry entry : scan.entries()) {
        if (removed.contains(entry.name())) {
          continue;
        }
        if (entry.kind().name().equals("blobs")) {
          blobs.add(entry.path().getFileName().toString());
        } else if (entry.kind().tracking() == CacheKind.Tracking.INDEX) {
          String table = entry.path().getParent().getFileName().toString();
          if (table.equals(CacheKind.LAYER_INPUTS)) {
            inputs.add(entry);
          } else if (!table.equals(CacheKind.LAYER_PATHS)) {
            compressed.add(entry);
          }
        }
      }
      Set<String> diffIds = new HashSet<>();
      for (ScannedEntry entry : compressed) {
        Optional<String> blob = target(entry);
        if (blob.isPresent() && blobs.contains(blob.get())) {
          diffIds.add(entry.path().getFileName().toString());
        } else {
          remove(entry, "points at a blob that is gone");
        }
      }
      for (ScannedEntry entry : inputs) {
        Optional<String> diffId = target(entry);
        if (diffId.isEmpty() || !diffIds.contains(diffId.get())) {
          remove(entry, "points at a layer that is gone");
        }
      }
    }

    private static Optional<String> target(ScannedEntry entry) throws IOException {
      try {
        return SizedDigest.decode(Files.readAllBytes(entry.path()))
            .map(sized -> sized.digest().hex());
      } catch (NoSuchFileException e) {
        return Optional.empty();
      }
    }

    private void remove(ScannedEntry entry, String reason) {
      if (removed.add(entry.name())) {
        removals.add(new Removal(entry, reason, count.remove(entry)));
      }
    }
  }
}
