package dev.rig.python.index;

import dev.rig.oci.net.IdleWatch;
import dev.rig.oci.net.NetFailure;
import dev.rig.oci.net.NetSettings;
import dev.rig.oci.net.RetryListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * GET against an index with the retry rules every rig client shares (408/429/5xx and dropped
 * connections tried again with backoff), redirects followed by hand so that credentials go only to
 * the index's own origin, and messages that never show credentials.
 */
final class IndexHttp {
  private static final int MAX_REDIRECTS = 10;

  private final HttpClient client;
  private final NetSettings settings;
  private final RetryListener listener;
  private final Duration requestTimeout;

  IndexHttp(
      HttpClient client, NetSettings settings, RetryListener listener, Duration requestTimeout) {
    this.client = client;
    this.settings = settings;
    this.listener = listener;
    this.requestTimeout = requestTimeout;
  }

  /** A successful response: the URL it finally came from, its content type and its body. */
  record Response(URI url, String contentType, InputStream body) {}

  /** The body at {@code uri}, or empty for 404/410. The caller closes the body. */
  Optional<Response> get(PackageIndex index, URI uri, String accept) throws IOException {
    URI current = uri;
    for (int redirects = 0; redirects <= MAX_REDIRECTS; redirects++) {
      HttpResponse<InputStream> response = send(index, current, accept);
      int status = response.statusCode();
      if (status >= 300 && status < 400 && status != 304) {
        Optional<String> location = response.headers().firstValue("Location");
        response.body().close();
        if (location.isEmpty()) {
          throw new IndexException(
              "GET " + show(current) + " answered HTTP " + status + " without a Location");
        }
        current = current.resolve(location.get());
        continue;
      }
      if (status == 404 || status == 410) {
        response.body().close();
        return Optional.empty();
      }
      if (status != 200) {
        response.body().close();
        throw new IndexException(
            "GET "
                + show(current)
                + " answered HTTP "
                + status
                + (status == 401 || status == 403
                    ? "; give the index's credentials (user and password or token)"
                    : ""));
      }
      String type = response.headers().firstValue("Content-Type").orElse("");
      InputStream body =
          IdleWatch.watch(response.body(), settings.idleTimeout(), "GET " + show(current));
      return Optional.of(new Response(current, type, body));
    }
    throw new IndexException(
        "GET " + show(uri) + " was redirected more than " + MAX_REDIRECTS + " times");
  }

  private HttpResponse<InputStream> send(PackageIndex index, URI uri, String accept)
      throws IOException {
    String what = "GET " + show(uri);
    int attempt = 1;
    while (true) {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET();
      request.header("Accept", accept);
      if (index.credentials().isPresent() && index.sameOrigin(uri)) {
        request.header("Authorization", index.credentials().get().basicHeader());
      }
      String cause;
      Duration delay;
      try {
        HttpResponse<InputStream> response =
            client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (!settings.retry().isRetryable(response.statusCode())) {
          return response;
        }
        response.body().close();
        cause = "HTTP " + response.statusCode();
        delay = settings.retry().delay(attempt, response.headers());
        if (attempt >= settings.retry().maxAttempts()) {
          throw gaveUp(what, attempt, cause, null);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted during " + what);
      } catch (IndexException e) {
        throw e;
      } catch (IOException e) {
        cause = NetFailure.describe(e, safe(uri));
        if (!NetFailure.isTransient(e)) {
          throw new IndexException(
              what + ": " + cause + "; is the index URL right and the server up?", null);
        }
        if (attempt >= settings.retry().maxAttempts()) {
          throw gaveUp(what, attempt, cause, null);
        }
        delay = settings.retry().backoff(attempt);
      }
      listener.retrying(what, attempt, delay, cause);
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting to retry " + what);
      }
      attempt++;
    }
  }

  private static IndexException gaveUp(String what, int attempts, String cause, Throwable last) {
    return new IndexException(
        what
            + " failed after "
            + attempts
            + " attempts; the last: "
            + cause
            + "; check the network and that the index is up, then run again",
        last);
  }

  /** The URL as messages may show it: no user information, no query (tokens hide there too). */
  static String show(URI uri) {
    return safe(uri).toString();
  }

  private static URI safe(URI uri) {
    try {
      return new URI(
          uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
    } catch (Exception e) {
      return URI.create("about:invalid");
    }
  }
}
