package dev.rig.registry;

import dev.rig.registry.http.RetryPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to talk to registries.
 *
 * @param caFile PEM certificates to trust in addition to the JDK's
 * @param insecure skip TLS verification (and allow plain HTTP) for every registry
 * @param plainHttp allow plain HTTP for every registry (loopback hosts always may use it)
 * @param chunkSize bytes per PATCH in a chunked upload
 * @param monolithicLimit blobs up to this size go in one PUT; larger ones are sent in chunks
 * @param parallelUploads how many blobs are sent at the same time
 * @param requestTimeout how long one request may wait for a response
 */
public record RegistryOptions(
    Optional<Path> caFile,
    boolean insecure,
    boolean plainHttp,
    long chunkSize,
    long monolithicLimit,
    int parallelUploads,
    Duration requestTimeout,
    RetryPolicy retry) {

  public static final long DEFAULT_CHUNK_SIZE = 16L << 20;

  public RegistryOptions {
    Objects.requireNonNull(caFile, "caFile");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(retry, "retry");
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunk size must be positive, got " + chunkSize);
    }
    if (monolithicLimit < 0) {
      throw new IllegalArgumentException("monolithic limit must not be negative");
    }
    if (parallelUploads < 1) {
      throw new IllegalArgumentException("parallel uploads must be at least 1");
    }
  }

  /** Verified TLS, 16 MiB chunks for blobs over 16 MiB, 3 uploads at a time, 5 tries. */
  public static RegistryOptions defaults() {
    return new RegistryOptions(
        Optional.empty(),
        false,
        false,
        DEFAULT_CHUNK_SIZE,
        DEFAULT_CHUNK_SIZE,
        3,
        Duration.ofMinutes(5),
        RetryPolicy.defaults());
  }

  public RegistryOptions withCaFile(Path file) {
    return new RegistryOptions(
        Optional.of(file),
        insecure,
        plainHttp,
        chunkSize,
        monolithicLimit,
        parallelUploads,
        requestTimeout,
        retry);
  }

  public RegistryOptions withInsecure(boolean value) {
    return new RegistryOptions(
        caFile,
        value,
        plainHttp,
        chunkSize,
        monolithicLimit,
        parallelUploads,
        requestTimeout,
        retry);
  }

  public RegistryOptions withPlainHttp(boolean value) {
    return new RegistryOptions(
        caFile,
        insecure,
        value,
        chunkSize,
        monolithicLimit,
        parallelUploads,
        requestTimeout,
        retry);
  }

  /** Blobs larger than {@code monolithic} bytes are sent in {@code chunk}-byte PATCHes. */
  public RegistryOptions withChunking(long chunk, long monolithic) {
    return new RegistryOptions(
        caFile, insecure, plainHttp, chunk, monolithic, parallelUploads, requestTimeout, retry);
  }

  public RegistryOptions withParallelUploads(int value) {
    return new RegistryOptions(
        caFile, insecure, plainHttp, chunkSize, monolithicLimit, value, requestTimeout, retry);
  }

  public RegistryOptions withRetry(RetryPolicy value) {
    return new RegistryOptions(
        caFile,
        insecure,
        plainHttp,
        chunkSize,
        monolithicLimit,
        parallelUploads,
        requestTimeout,
        value);
  }
}
