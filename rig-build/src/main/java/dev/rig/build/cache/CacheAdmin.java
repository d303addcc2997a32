package dev.rig.build.cache;

import dev.rig.oci.io.AtomicFiles;
import dev.rig.oci.io.TempNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** {@code rig cache} and {@code rig cache gc}: the report of a cache, and its collection. */
public final class CacheAdmin {
  private CacheAdmin() {}

  /**
   * Removes the leftovers of interrupted runs from every folder of every kind (and the cache root
   * and its usage records): what a build does before it adds its own. Only directory listings and
   * the leftovers' own files are read.
   */
  public static TempNames.Swept sweepLeftovers(Path cacheDir) throws IOException {
    Path root = cacheDir.toAbsolutePath().normalize();
    List<Path> dirs = new ArrayList<>(List.of(root, root.resolve(UsageRecords.DIR)));
    for (CacheKind kind : CacheKind.ALL) {
      Path dir = root.resolve(kind.dir());
      if (kind.depth() == 2 && Files.isDirectory(dir)) {
        // The tables of a two-level kind, and the kind's own folder for a table being made.
        dirs.add(dir);
        try (Stream<Path> tables = Files.list(dir)) {
          tables.filter(Files::isDirectory).forEach(dirs::add);
        }
      } else {
        dirs.add(dir);
      }
    }
    return TempNames.sweep(dirs.toArray(Path[]::new));
  }

  /** What the cache at {@code cacheDir} holds (read without a lock: a build may be adding). */
  public static CacheReport report(Path cacheDir) throws IOException {
    Path root = cacheDir.toAbsolutePath().normalize();
    CacheScan.Result scan = CacheScan.of(root);
    List<UsageRecord> records = UsageRecords.in(root).readAll();
    long free = free(root);
    GcPlan unlimited = GcPlan.of(scan, records, new GcLimits(Long.MAX_VALUE, 0), free);
    int leftovers = scan.leftovers().size();
    return new CacheReport(
        root,
        unlimited.sizeBefore(),
        totals(scan.entries()),
        images(scan.entries(), records),
        unlimited.removals().size() - leftovers,
        leftovers,
        unlimited.freed(),
        free);
  }

  /**
   * Removes what no recent build used and, to meet {@code limits}, the least recently used, while
   * holding the cache's lock exclusively (it waits for running builds; {@code waiting} hears why).
   * A dry run decides the same and removes nothing (and takes no lock).
   */
  public static GcReport collect(
      Path cacheDir, GcLimits limits, boolean dryRun, Consumer<String> waiting) throws IOException {
    Path root = cacheDir.toAbsolutePath().normalize();
    if (dryRun || !Files.isDirectory(root)) {
      // Nothing to remove, or nothing to protect: no lock (and no cache folder made for it).
      return collectLocked(root, limits, dryRun);
    }
    try (CacheLock.Lease lease = CacheLock.exclusive(root, waiting)) {
      return collectLocked(root, limits, false);
    }
  }

  private static GcReport collectLocked(Path root, GcLimits limits, boolean dryRun)
      throws IOException {
    CacheScan.Result scan = CacheScan.of(root);
    UsageRecords store = UsageRecords.in(root);
    List<UsageRecord> records = store.readAll();
    GcPlan plan = GcPlan.of(scan, records, limits, free(root));
    List<GcReport.Removed> removed = new ArrayList<>();
    for (GcPlan.Removal removal : plan.removals()) {
      if (!dryRun) {
        delete(removal.entry());
      }
      removed.add(
          new GcReport.Removed(
              removal.entry().kind().name(),
              removal.entry().name(),
              removal.freed(),
              removal.reason()));
    }
    if (!dryRun) {
      for (UsageRecord record : plan.dropped()) {
        store.delete(record);
      }
    }
    return new GcReport(
        root,
        limits,
        dryRun,
        plan.sizeBefore(),
        plan.sizeAfter(),
        plan.freed(),
        dryRun ? plan.freeBefore() + plan.freed() : free(root),
        removed,
        totals(plan.remaining()),
        images(plan.remaining(), plan.kept()),
        images(scan.entries(), plan.dropped()));
  }

  /**
   * Removes one entry. A directory is first renamed to this process's temporary name, so that a gc
   * stopped half way leaves a leftover the next run sweeps, never a half-deleted entry that a build
   * would take for a complete one.
   */
  private static void delete(ScannedEntry entry) throws IOException {
    Path path = entry.path();
    if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      Files.deleteIfExists(path);
      return;
    }
    Path doomed = path;
    if (!path.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX)) {
      doomed = path.resolveSibling(TempNames.prefix() + "gc-" + UUID.randomUUID());
      try {
        Files.move(path, doomed);
      } catch (NoSuchFileException e) {
        return;
      }
    }
    deleteTree(doomed);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  makeWritable(p);
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (NoSuchFileException e) {
      // Gone already.
    }
  }

  /** A root's read-only directories (dpkg leaves some) cannot lose their children otherwise. */
  private static void makeWritable(Path p) throws IOException {
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && !Files.isWritable(p)) {
      p.toFile().setWritable(true, true);
    }
  }

  private static long free(Path root) throws IOException {
    Path existing = root;
    while (!Files.exists(existing) && existing.getParent() != null) {
      existing = existing.getParent();
    }
    return Files.getFileStore(existing).getUsableSpace();
  }

  /** Each kind's entries and bytes, a file shared by hard links counted in the first kind. */
  static List<KindTotal> totals(List<ScannedEntry> entries) {
    Map<CacheKind, List<ScannedEntry>> byKind = new LinkedHashMap<>();
    CacheKind.ALL.forEach(kind -> byKind.put(kind, new ArrayList<>()));
    entries.forEach(entry -> byKind.get(entry.kind()).add(entry));
    Set<Object> seen = new HashSet<>();
    List<KindTotal> totals = new ArrayList<>();
    byKind.forEach(
        (kind, list) -> {
          long bytes = 0;
          for (ScannedEntry entry : list) {
            bytes += entry.soleBytes();
            for (ScannedEntry.LinkedFile file : entry.linked()) {
              if (seen.add(file.inode())) {
                bytes += file.size();
              }
            }
          }
          totals.add(new KindTotal(kind.name(), kind.holds(), list.size(), bytes));
        });
    return totals;
  }

  /** Each record's entries that are still in {@code entries}, and their bytes. */
  static List<ImageUse> images(List<ScannedEntry> entries, List<UsageRecord> records) {
    Map<String, ScannedEntry> byName = new HashMap<>();
    entries.forEach(entry -> byName.put(entry.name(), entry));
    List<ImageUse> images = new ArrayList<>();
    for (UsageRecord record : records) {
      List<ScannedEntry> used =
          record.entries().stream().map(byName::get).filter(e -> e != null).toList();
      images.add(
          new ImageUse(
              record.reference(),
              record.project(),
              record.digest(),
              record.built(),
              used.size(),
              DiskUse.of(used)));
    }
    return images;
  }
}
