package dev.rig.build.cache;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * One entry of the cache as a scan found it.
 *
 * @param name its path relative to the cache root, as usage records name it
 * @param written when it was last written (its modification time)
 * @param soleBytes bytes of its files that have no other hard link
 * @param linked its files that have other hard links (in this entry, another, or outside the cache)
 */
record ScannedEntry(
    CacheKind kind,
    String name,
    Path path,
    boolean directory,
    Instant written,
    long soleBytes,
    List<LinkedFile> linked) {
  ScannedEntry {
    linked = List.copyOf(linked);
  }

  /** A file with more than one hard link: its identity on disk, its size and its link count. */
  record LinkedFile(Object inode, long size, int links) {}
}
