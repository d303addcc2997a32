package dev.rig.oci.cache;

import dev.rig.oci.SourceDateEpoch;
import dev.rig.oci.compress.Compression;
import dev.rig.oci.compress.CompressorPool;
import dev.rig.oci.digest.Digest;
import dev.rig.oci.digest.DigestingOutputStream;
import dev.rig.oci.event.OciEvent;
import dev.rig.oci.event.OciEventListener;
import dev.rig.oci.image.BuiltLayer;
import dev.rig.oci.image.Descriptor;
import dev.rig.oci.io.SingleFlight;
import dev.rig.oci.layer.LayerInput;
import dev.rig.oci.layer.LayerInputKey;
import dev.rig.oci.layer.LayerPlan;
import dev.rig.oci.tar.LayerTarWriter;
import dev.rig.oci.tar.TarSummary;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns a {@link LayerInput} into a compressed blob in the {@link BlobCache}, doing as little work
 * as the cache allows:
 *
 * <ol>
 *   <li>Input key known and its blob present: no tar, no compression (a lookup and a stat).
 *   <li>Input key unknown: the tar is written once only to hash it. If that diffID was compressed
 *       before, the cached blob is reused and nothing is compressed (a fresh checkout with new file
 *       times costs one read of the inputs, not a recompression).
 *   <li>Otherwise the tar is written again, hashed and compressed in one pass into the cache.
 * </ol>
 *
 * Safe to call from several threads and several JVMs sharing one cache. Two threads of one builder
 * asking for the same layer at once build it once: the second waits for the first and takes its
 * blob from the cache. A layer can also be built ahead ({@link #buildAhead}), while the build still
 * runs something else; asked for later, it reports as built, not as cached.
 */
public final class LayerBuilder {
  private final BlobCache cache;
  private final long mtimeSeconds;
  private final boolean verifyHits;
  private final OciEventListener listener;

  private final AtomicLong cacheHits = new AtomicLong();
  private final AtomicLong tarPasses = new AtomicLong();
  private final AtomicLong compressions = new AtomicLong();
  private final AtomicLong reused = new AtomicLong();
  private final AtomicLong bytesTarred = new AtomicLong();
  private final AtomicLong bytesCompressed = new AtomicLong();

  /** Layers being built now, by input key and compression: a second asker waits, then looks. */
  private final SingleFlight<String> building = new SingleFlight<>();

  /** Layers {@link #buildAhead} compressed, not asked for since. */
  private final Set<String> builtAhead = ConcurrentHashMap.newKeySet();

  /**
   * @param mtime the time written into every tar header: SOURCE_DATE_EPOCH (see {@link
   *     SourceDateEpoch#parse}) or {@link SourceDateEpoch#DEFAULT}
   * @param verifyHits re-hash cached blobs on every hit (slower; by default only their size is
   *     checked and the hash is verified when a blob is copied into an output)
   */
  public LayerBuilder(
      BlobCache cache, Instant mtime, boolean verifyHits, OciEventListener listener) {
    this.cache = cache;
    this.mtimeSeconds = SourceDateEpoch.check(mtime).getEpochSecond();
    this.verifyHits = verifyHits;
    this.listener = listener;
  }

  public LayerBuilder(BlobCache cache, Instant mtime, OciEventListener listener) {
    this(cache, mtime, false, listener);
  }

  public BuiltLayer build(LayerInput input, Compression compression) throws IOException {
    return buildReporting(input, compression).layer();
  }

  /** How a layer came to be: what the build cost, for results and progress. */
  public enum Origin {
    /** The input key was known and its blob present: a lookup, no tar, no compression. */
    CACHED,
    /** The tar was written once to hash it; its diffID had been compressed before. */
    REHASHED,
    /** Tarred and compressed now. */
    BUILT
  }

  /**
   * A layer and how it came to be.
   *
   * @param ahead built by {@link #buildAhead} before it was asked for (origin {@link Origin#BUILT})
   */
  public record Outcome(BuiltLayer layer, Origin origin, boolean ahead) {}

  /** {@link #build}, saying whether the cache served the layer. */
  public Outcome buildReporting(LayerInput input, Compression compression) throws IOException {
    LayerPlan plan = LayerPlan.of(input);
    Digest inputKey = LayerInputKey.of(plan, mtimeSeconds, LayerTarWriter.FORMAT_VERSION);
    String slot = slot(inputKey, compression);
    Outcome outcome =
        building.run(
            slot, () -> build(input, plan, inputKey, compression, CompressorPool.shared()));
    if (outcome.origin() == Origin.CACHED && builtAhead.remove(slot)) {
      return new Outcome(outcome.layer(), Origin.BUILT, true);
    }
    return outcome;
  }

  /**
   * Builds {@code input} before it is asked for, compressing on {@code pool}'s threads (a narrow
   * pool keeps it from taking the cores of what runs beside it). A later {@link #buildReporting} of
   * the same input finds it in the cache, or waits for it while it is still being built, and
   * reports it as built.
   */
  public Outcome buildAhead(LayerInput input, Compression compression, CompressorPool pool)
      throws IOException {
    LayerPlan plan = LayerPlan.of(input);
    Digest inputKey = LayerInputKey.of(plan, mtimeSeconds, LayerTarWriter.FORMAT_VERSION);
    String slot = slot(inputKey, compression);
    return building.run(
        slot,
        () -> {
          Outcome outcome = build(input, plan, inputKey, compression, pool);
          // Marked before the slot is released, so that whoever waits on it sees the mark.
          if (outcome.origin() == Origin.BUILT) {
            builtAhead.add(slot);
          }
          return outcome;
        });
  }

  private static String slot(Digest inputKey, Compression compression) {
    return inputKey + " " + compression.cacheKey();
  }

  private Outcome build(
      LayerInput input,
      LayerPlan plan,
      Digest inputKey,
      Compression compression,
      CompressorPool pool)
      throws IOException {
    Optional<SizedDigest> knownDiffId = cache.diffIdFor(inputKey);
    if (knownDiffId.isPresent()) {
      Optional<BuiltLayer> hit = cached(input, knownDiffId.get(), compression);
      if (hit.isPresent()) {
        cacheHits.incrementAndGet();
        BuiltLayer layer = hit.get();
        listener.onEvent(
            new OciEvent.LayerCacheHit(
                input.createdBy(), layer.diffId(), layer.blob().digest(), layer.blob().size()));
        return new Outcome(layer, Origin.CACHED, false);
      }
    } else if (cache.seenPaths(pathsKey(plan))) {
      // The same paths were built before: likely touched but unchanged, so one cheap hashing pass
      // may spare the compression.
      TarSummary summary = hashOnly(input, plan);
      cache.recordDiffId(inputKey, summary.diffId(), summary.size());
      Optional<BuiltLayer> same =
          cached(input, new SizedDigest(summary.diffId(), summary.size()), compression);
      if (same.isPresent()) {
        reused.incrementAndGet();
        listener.onEvent(
            new OciEvent.LayerReused(
                input.createdBy(), summary.diffId(), same.get().blob().digest()));
        return new Outcome(same.get(), Origin.REHASHED, false);
      }
    }
    BuiltLayer built = compress(input, plan, inputKey, compression, pool);
    cache.recordPaths(pathsKey(plan));
    return new Outcome(built, Origin.BUILT, false);
  }

  /** The layer's paths and entry types in order: what stays when only file contents change. */
  private static Digest pathsKey(LayerPlan plan) {
    java.security.MessageDigest sha256 = Digest.newSha256();
    for (var entry : plan.entries()) {
      sha256.update(entry.type().name().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      sha256.update((byte) 0);
      sha256.update(entry.path().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      sha256.update((byte) 0);
    }
    return Digest.ofHash(sha256.digest());
  }

  /** A snapshot of the work done so far. */
  public LayerWork work() {
    return new LayerWork(
        cacheHits.get(),
        tarPasses.get(),
        compressions.get(),
        reused.get(),
        bytesTarred.get(),
        bytesCompressed.get());
  }

  private Optional<BuiltLayer> cached(LayerInput input, SizedDigest diffId, Compression compression)
      throws IOException {
    Optional<SizedDigest> blob = cache.compressedFor(diffId.digest(), compression);
    if (blob.isEmpty()) {
      return Optional.empty();
    }
    Optional<CachedBlob> present = cache.find(blob.get().digest(), blob.get().size());
    if (present.isEmpty() || (verifyHits && !cache.verify(present.get()))) {
      return Optional.empty();
    }
    return Optional.of(
        layer(input, compression, diffId.digest(), diffId.size(), present.get(), false));
  }

  private TarSummary hashOnly(LayerInput input, LayerPlan plan) throws IOException {
    long start = System.nanoTime();
    TarSummary summary = LayerTarWriter.write(plan, mtimeSeconds, OutputStream.nullOutputStream());
    countTar(summary);
    listener.onEvent(
        new OciEvent.LayerTarred(
            input.createdBy(), summary.diffId(), summary.size(), false, since(start)));
    return summary;
  }

  private BuiltLayer compress(
      LayerInput input,
      LayerPlan plan,
      Digest inputKey,
      Compression compression,
      CompressorPool pool)
      throws IOException {
    long start = System.nanoTime();
    TarSummary summary;
    CachedBlob blob;
    try (BlobCache.PendingBlob pending = cache.newBlob()) {
      DigestingOutputStream compressedOut = pending.output();
      try (OutputStream compressor = compression.compress(compressedOut, pool)) {
        summary = LayerTarWriter.write(plan, mtimeSeconds, compressor);
      }
      blob = pending.commit();
    }
    Duration took = since(start);
    countTar(summary);
    compressions.incrementAndGet();
    bytesCompressed.addAndGet(blob.size());
    cache.recordCompressed(summary.diffId(), compression, blob.digest(), blob.size());
    cache.recordDiffId(inputKey, summary.diffId(), summary.size());
    listener.onEvent(
        new OciEvent.LayerTarred(input.createdBy(), summary.diffId(), summary.size(), true, took));
    listener.onEvent(
        new OciEvent.LayerCompressed(
            input.createdBy(),
            compression,
            summary.diffId(),
            blob.digest(),
            summary.size(),
            blob.size(),
            took));
    return layer(input, compression, summary.diffId(), summary.size(), blob, true);
  }

  private static BuiltLayer layer(
      LayerInput input,
      Compression compression,
      Digest diffId,
      long size,
      CachedBlob blob,
      boolean written) {
    return new BuiltLayer(
        Descriptor.of(compression.ociMediaType(), blob.digest(), blob.size()),
        diffId,
        size,
        input.createdBy(),
        blob.path(),
        written);
  }

  private void countTar(TarSummary summary) {
    tarPasses.incrementAndGet();
    bytesTarred.addAndGet(summary.size());
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
