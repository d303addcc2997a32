package dev.rig.oci.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * GET over HTTP under the shared {@link NetSettings}: 408/429/5xx and dropped connections are tried
 * again with backoff (Retry-After honoured), a refused connection fails at once, every body has the
 * idle timeout, and {@link #openResuming} goes on after a cut with a range request.
 */
public final class RetryingGet {
  private final HttpClient client;
  private final NetSettings settings;
  private final Duration requestTimeout;
  private final RetryListener listener;

  public RetryingGet(
      HttpClient client, NetSettings settings, Duration requestTimeout, RetryListener listener) {
    this.client = client;
    this.settings = settings;
    this.requestTimeout = requestTimeout;
    this.listener = listener;
  }

  public NetSettings settings() {
    return settings;
  }

  /** A body and the offset in the file of its first byte (0 when the server ignored the range). */
  public record Body(InputStream stream, long start) {}

  /**
   * The file from byte {@code offset} on (a range request when {@code offset > 0}), or empty for
   * 404/410. The stream does not resume by itself: the caller that asked for an offset keeps what
   * arrived and asks again.
   */
  public Optional<Body> open(URI uri, long offset) throws IOException {
    return open(uri, offset, Map.of());
  }

  /**
   * {@link #open(URI, long)} with request {@code headers} (an index's Authorization): sent on every
   * attempt, never put into a message.
   */
  public Optional<Body> open(URI uri, long offset, Map<String, String> headers) throws IOException {
    String what = "GET " + uri;
    long from = offset;
    IOException last = null;
    String lastCause = "";
    int attempt = 1;
    while (true) {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET();
      if (from > 0) {
        request.header("Range", "bytes=" + from + "-");
      }
      headers.forEach(request::header);
      HttpResponse<InputStream> response;
      try {
        response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted during " + what);
      } catch (IOException e) {
        if (!NetFailure.isTransient(e)) {
          throw new IOException(what + ": " + NetFailure.describe(e, uri) + hint(e), e);
        }
        last = e;
        lastCause = NetFailure.describe(e, uri);
        if (attempt >= settings.retry().maxAttempts()) {
          throw gaveUp(what, attempt, lastCause, last);
        }
        Duration delay = settings.retry().backoff(attempt);
        listener.retrying(what, attempt, delay, lastCause);
        Pause.sleep(delay, what);
        attempt++;
        continue;
      }
      int status = response.statusCode();
      String range = response.headers().firstValue("Content-Range").orElse("");
      InputStream body = IdleWatch.watch(response.body(), settings.idleTimeout(), what);
      if (status == 200) {
        return Optional.of(new Body(body, 0));
      }
      if (status == 206 && from > 0 && range.startsWith("bytes " + from + "-")) {
        return Optional.of(new Body(body, from));
      }
      drain(body);
      if (status == 404 || status == 410) {
        return Optional.empty();
      }
      if ((status == 206 || status == 416) && from > 0) {
        // A range other than the one asked for, or none to give: the whole file, from the start.
        from = 0;
        continue;
      }
      if (!settings.retry().isRetryable(status)) {
        throw new IOException(what + " answered HTTP " + status);
      }
      lastCause = "HTTP " + status;
      if (attempt >= settings.retry().maxAttempts()) {
        throw gaveUp(what, attempt, lastCause, null);
      }
      Duration delay = settings.retry().delay(attempt, response.headers());
      listener.retrying(what, attempt, delay, lastCause);
      Pause.sleep(delay, what);
      attempt++;
    }
  }

  /**
   * The whole file as a stream that survives cuts and stalls: it asks for the rest with a range
   * request (or skips what it has when the server ignores ranges), within the retry budget.
   */
  public Optional<InputStream> openResuming(URI uri) throws IOException {
    Optional<Body> first = open(uri, 0);
    if (first.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ResumingStream(this, uri, first.get().stream()));
  }

  static IOException gaveUp(String what, int attempts, String cause, IOException last) {
    return new IOException(
        what
            + " failed after "
            + attempts
            + (attempts == 1 ? " attempt" : " attempts")
            + "; the last: "
            + cause
            + "; check the network and that the server is up, then run again",
        last);
  }

  private static String hint(IOException e) {
    return NetFailure.isRefused(e) ? "; is the server up, and is the URL's port right?" : "";
  }

  private static void drain(InputStream body) {
    try (body) {
      body.readNBytes(64 * 1024);
    } catch (IOException e) {
      // Only to reuse the connection: a failure here changes nothing.
    }
  }

  RetryListener listener() {
    return listener;
  }
}
