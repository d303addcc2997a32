package dev.rig.build.cache;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the latest build of one image used from the cache: the entries (paths relative to the cache
 * root, e.g. {@code debs/HEX.deb}) it read or wrote, and when. A gc keeps what a record lists and
 * evicts whole records, least recently built first.
 */
public record UsageRecord(
    String reference, Path project, String digest, Instant built, Set<String> entries) {
  public UsageRecord {
    entries = Collections.unmodifiableSortedSet(new TreeSet<>(entries));
  }
}
