package dev.rig.apt.repo;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** A repository over HTTP(S); integrity comes from the signed Release file, not from TLS. */
public final class HttpFetcher implements RepositoryFetcher {
  private final URI base;
  private final HttpClient client;

  public HttpFetcher(URI base, HttpClient client) {
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s : s + "/");
    this.client = client;
  }

  public static HttpFetcher of(URI base) {
    return new HttpFetcher(
        base,
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(20))
            .build());
  }

  @Override
  public Optional<byte[]> fetch(String relativePath) throws IOException {
    URI uri = base.resolve(relativePath);
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).GET().build();
    try {
      HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      int status = response.statusCode();
      if (status == 404 || status == 410) {
        return Optional.empty();
      }
      if (status != 200) {
        throw new IOException("GET " + uri + " answered HTTP " + status);
      }
      return Optional.of(response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching " + uri, e);
    }
  }

  @Override
  public Optional<InputStream> open(String relativePath) throws IOException {
    URI uri = base.resolve(relativePath);
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).GET().build();
    try {
      HttpResponse<InputStream> response =
          client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      int status = response.statusCode();
      if (status != 200) {
        response.body().close();
        if (status == 404 || status == 410) {
          return Optional.empty();
        }
        throw new IOException("GET " + uri + " answered HTTP " + status);
      }
      return Optional.of(response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching " + uri, e);
    }
  }

  @Override
  public Optional<Ranged> openFrom(String relativePath, long offset) throws IOException {
    if (offset == 0) {
      return open(relativePath).map(in -> new Ranged(in, 0));
    }
    URI uri = base.resolve(relativePath);
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofMinutes(5))
            .header("Range", "bytes=" + offset + "-")
            .GET()
            .build();
    try {
      HttpResponse<InputStream> response =
          client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      int status = response.statusCode();
      String range = response.headers().firstValue("Content-Range").orElse("");
      if (status == 206 && range.startsWith("bytes " + offset + "-")) {
        return Optional.of(new Ranged(response.body(), offset));
      }
      if (status == 200) {
        // The server ignores ranges: this is the whole file.
        return Optional.of(new Ranged(response.body(), 0));
      }
      response.body().close();
      if (status == 404 || status == 410) {
        return Optional.empty();
      }
      // 416 (the part is not shorter than the file) or a range other than the one asked for: the
      // whole file again, from the start.
      return open(relativePath).map(in -> new Ranged(in, 0));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching " + uri, e);
    }
  }

  @Override
  public String describe() {
    return base.toString();
  }
}
