package dev.rig.build.cache;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What entries take on disk when their files may share inodes by hard links (unpacked .debs and
 * staged roots share most of their files): a shared inode is counted once, and removing entries
 * frees a shared inode only when every one of its links goes (links outside the cache keep it). The
 * counts are this object's state; it is made and used inside one report or gc.
 */
final class DiskUse {
  /** How many links to each shared inode the scan found in the cache. */
  private final Map<Object, Integer> linksInCache = new HashMap<>();

  DiskUse(Collection<ScannedEntry> entries) {
    for (ScannedEntry entry : entries) {
      for (ScannedEntry.LinkedFile file : entry.linked()) {
        linksInCache.merge(file.inode(), 1, Integer::sum);
      }
    }
  }

  /** Bytes {@code entries} hold, each inode counted once. */
  static long of(Collection<ScannedEntry> entries) {
    Set<Object> seen = new HashSet<>();
    long total = 0;
    for (ScannedEntry entry : entries) {
      total += entry.soleBytes();
      for (ScannedEntry.LinkedFile file : entry.linked()) {
        if (seen.add(file.inode())) {
          total += file.size();
        }
      }
    }
    return total;
  }

  /** Counts what removing entries one by one frees, in the order they are removed. */
  Removal removal() {
    return new Removal();
  }

  /**
   * A running count of what removals take out of the cache and what they free on disk: a file whose
   * last link in the cache goes leaves the cache, but frees its bytes only if nothing outside the
   * cache links it (an output layout links the blobs it was written from).
   */
  final class Removal {
    private final Map<Object, Integer> remaining = new HashMap<>(linksInCache);
    private long left;
    private long freed;

    /** Removes {@code entry} from the count and returns the bytes that frees on disk. */
    long remove(ScannedEntry entry) {
      long now = entry.soleBytes();
      left += entry.soleBytes();
      for (ScannedEntry.LinkedFile file : entry.linked()) {
        int links = remaining.merge(file.inode(), -1, Integer::sum);
        if (links == 0) {
          left += file.size();
          if (linksInCache.get(file.inode()) >= file.links()) {
            now += file.size();
          }
        }
      }
      freed += now;
      return now;
    }

    /** Bytes that are no longer in the cache. */
    long left() {
      return left;
    }

    /** Bytes freed on disk. */
    long freed() {
      return freed;
    }
  }
}
