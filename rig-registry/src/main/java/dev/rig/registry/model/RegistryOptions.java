package dev.rig.registry.model;

import dev.rig.oci.net.NetSettings;
import dev.rig.oci.net.RetryPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How to talk to registries.
 *
 * @param caFile PEM certificates to trust in addition to the JDK's
 * @param insecure skip TLS verification (and allow plain HTTP)
 * @param plainHttp allow plain HTTP (loopback hosts always may use it)
 * @param relaxedHosts when present, {@code insecure} and {@code plainHttp} apply to these
 *     registries only (the command's push targets), never to a base image's registry
 * @param chunkSize bytes per PATCH in a chunked upload
 * @param monolithicLimit blobs up to this size go in one PUT; larger ones are sent in chunks
 * @param parallelUploads how many blobs are sent at the same time
 * @param requestTimeout how long one request may wait for the response headers
 * @param net the retry policy and the idle timeout of every body read, shared with apt
 */
public record RegistryOptions(
    Optional<Path> caFile,
    boolean insecure,
    boolean plainHttp,
    Optional<Set<String>> relaxedHosts,
    long chunkSize,
    long monolithicLimit,
    int parallelUploads,
    Duration requestTimeout,
    NetSettings net) {

  public static final long DEFAULT_CHUNK_SIZE = 16L << 20;

  public RegistryOptions {
    Objects.requireNonNull(caFile, "caFile");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(net, "net");
    relaxedHosts = relaxedHosts.map(Set::copyOf);
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

  /**
   * Verified TLS, 16 MiB chunks for blobs over 16 MiB, 3 uploads at a time, and the shared retry
   * policy and idle timeout ({@link NetSettings#fromEnvironment}).
   */
  public static RegistryOptions defaults() {
    return new RegistryOptions(
        Optional.empty(),
        false,
        false,
        Optional.empty(),
        DEFAULT_CHUNK_SIZE,
        DEFAULT_CHUNK_SIZE,
        3,
        Duration.ofMinutes(5),
        NetSettings.fromEnvironment());
  }

  public RetryPolicy retry() {
    return net.retry();
  }

  /** Whether TLS verification is skipped for {@code registry}. */
  public boolean insecureFor(String registry) {
    return insecure && covers(registry);
  }

  /** Whether plain HTTP was asked for {@code registry}. */
  public boolean plainHttpFor(String registry) {
    return plainHttp && covers(registry);
  }

  private boolean covers(String registry) {
    return relaxedHosts.map(hosts -> hosts.contains(registry)).orElse(true);
  }

  public RegistryOptions withCaFile(Path file) {
    return new RegistryOptions(
        Optional.of(file),
        insecure,
        plainHttp,
        relaxedHosts,
        chunkSize,
        monolithicLimit,
        parallelUploads,
        requestTimeout,
        net);
  }

  public RegistryOptions withInsecure(boolean value) {
    return new RegistryOptions(
        caFile,
        value,
        plainHttp,
        relaxedHosts,
        chunkSize,
        monolithicLimit,
        parallelUploads,
        requestTimeout,
        net);
  }

  public RegistryOptions withPlainHttp(boolean value) {
    return new RegistryOptions(
        caFile,
        insecure,
        value,
        relaxedHosts,
        chunkSize,
        monolithicLimit,
        parallelUploads,
        requestTimeout,
        net);
  }

  /** Limits --tls-verify=false and --plain-http to {@code hosts}. */
  public RegistryOptions withRelaxedHostsOnly(Set<String> hosts) {
    return new RegistryOptions(
        caFile,
        insecure,
        plainHttp,
        Optional.of(hosts),
        chunkSize,
        monolithicLimit,
        parallelUploads,
        requestTimeout,
        net);
  }

  /** Blobs larger than {@code monolithic} bytes are sent in {@code chunk}-byte PATCHes. */
  public RegistryOptions withChunking(long chunk, long monolithic) {
    return new RegistryOptions(
        caFile,
        insecure,
        plainHttp,
        relaxedHosts,
        chunk,
        monolithic,
        parallelUploads,
        requestTimeout,
        net);
  }

  public RegistryOptions withParallelUploads(int value) {
    return new RegistryOptions(
        caFile,
        insecure,
        plainHttp,
        relaxedHosts,
        chunkSize,
        monolithicLimit,
        value,
        requestTimeout,
        net);
  }

  public RegistryOptions withNet(NetSettings value) {
    return new RegistryOptions(
        caFile,
        insecure,
        plainHttp,
        relaxedHosts,
        chunkSize,
        monolithicLimit,
        parallelUploads,
        requestTimeout,
        value);
  }

  public RegistryOptions withRetry(RetryPolicy value) {
    return withNet(net.withRetry(value));
  }

  public RegistryOptions withIdleTimeout(Duration value) {
    return withNet(net.withIdleTimeout(value));
  }
}
