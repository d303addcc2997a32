package dev.rig.apt.repo;

import dev.rig.oci.net.NetSettings;
import dev.rig.oci.net.RetryListener;
import dev.rig.oci.net.RetryingGet;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;

/**
 * A repository over HTTP(S); integrity comes from the signed Release file, not from TLS. Every
 * request goes through rig's shared retry policy and idle timeout ({@link NetSettings}).
 */
public final class HttpFetcher implements RepositoryFetcher {
  private final URI base;
  private final RetryingGet get;

  public HttpFetcher(URI base, HttpClient client, NetSettings settings) {
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s : s + "/");
    // The request timeout bounds the wait for headers; the idle timeout bounds each body read.
    this.get = new RetryingGet(client, settings, Duration.ofMinutes(5), RetryListener.NONE);
  }

  /** A fetcher with the settings from the environment ({@link NetSettings#fromEnvironment}). */
  public static HttpFetcher of(URI base) {
    return of(base, NetSettings.fromEnvironment());
  }

  public static HttpFetcher of(URI base, NetSettings settings) {
    return new HttpFetcher(
        base,
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(20))
            .build(),
        settings);
  }

  public NetSettings settings() {
    return get.settings();
  }

  @Override
  public Optional<byte[]> fetch(String relativePath) throws IOException {
    Optional<InputStream> in = open(relativePath);
    if (in.isEmpty()) {
      return Optional.empty();
    }
    try (InputStream body = in.get()) {
      return Optional.of(body.readAllBytes());
    }
  }

  /** The whole file; a connection cut or stalled mid-file is resumed within the retry budget. */
  @Override
  public Optional<InputStream> open(String relativePath) throws IOException {
    return get.openResuming(base.resolve(relativePath));
  }

  /**
   * From {@code offset} on, without resuming by itself: the caller (the .deb downloader) keeps what
   * arrived in its part file and asks again from there.
   */
  @Override
  public Optional<Ranged> openFrom(String relativePath, long offset) throws IOException {
    return get.open(base.resolve(relativePath), offset)
        .map(body -> new Ranged(body.stream(), body.start()));
  }

  @Override
  public String describe() {
    return base.toString();
  }
}
