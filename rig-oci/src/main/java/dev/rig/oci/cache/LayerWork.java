package dev.rig.oci.cache;

/**
 * How much work a {@link LayerBuilder} has done: a snapshot of its counters. A rebuild with nothing
 * changed shows only {@code cacheHits} growing.
 *
 * @param cacheHits layers served from the cache by input key, with no tar written
 * @param tarPasses tars written (hash-only passes and compressing passes)
 * @param compressions compressed blobs produced
 * @param reused layers whose inputs changed but whose tar matched a cached blob
 * @param bytesTarred uncompressed bytes written in all tar passes
 * @param bytesCompressed compressed bytes produced
 */
public record LayerWork(
    long cacheHits,
    long tarPasses,
    long compressions,
    long reused,
    long bytesTarred,
    long bytesCompressed) {}
