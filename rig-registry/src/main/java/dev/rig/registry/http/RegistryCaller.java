package dev.rig.registry.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.oci.net.IdleWatch;
import dev.rig.oci.net.NetFailure;
import dev.rig.oci.net.NetSettings;
import dev.rig.oci.net.RetryPolicy;
import dev.rig.registry.model.DigestMismatchException;
import dev.rig.registry.model.RegistryAuthException;
import dev.rig.registry.model.RegistryEvent;
import dev.rig.registry.model.RegistryException;
import dev.rig.registry.model.RegistryListener;
import dev.rig.registry.model.RegistryNotFoundException;
import dev.rig.registry.model.RegistryTlsException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * The one place requests to a registry are sent: adds authorization, retries what may pass on a
 * later try (I/O errors, 408, 429, 5xx) with backoff, answers 401 by renewing authorization once,
 * follows redirects of GET/HEAD, and turns every other failure into a typed exception whose message
 * names the registry, the repository and what to do.
 */
public final class RegistryCaller {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private static final int MAX_SMALL_BODY = 16 << 20;

  private final String registry;
  private final String repository;
  private final URI base;
  private final HttpClient client;
  private final NetSettings net;
  private final RetryPolicy retry;
  private final Duration timeout;
  private final Optional<Authorizer> authorizer;
  private final RegistryListener listener;

  public RegistryCaller(
      String registry,
      String repository,
      URI base,
      HttpClient client,
      NetSettings net,
      Duration timeout,
      Optional<Authorizer> authorizer,
      RegistryListener listener) {
    this.registry = registry;
    this.repository = repository;
    this.base = base;
    this.client = client;
    this.net = net;
    this.retry = net.retry();
    this.timeout = timeout;
    this.authorizer = authorizer;
    this.listener = listener;
  }

  public String registry() {
    return registry;
  }

  public String repository() {
    return repository;
  }

  public URI base() {
    return base;
  }

  /** The retry policy and idle timeout, for a caller that resumes a body cut mid-way. */
  public NetSettings net() {
    return net;
  }

  /** What a failed transfer was, in words (no Java class names), for messages and events. */
  public String describe(IOException e) {
    return NetFailure.describe(e, base);
  }

  /**
   * Sends {@code call} and reads the whole (small) body. A body that stalls or is cut mid-way is
   * asked for again while attempts are left, for requests that may be repeated (GET, HEAD, PUT):
   * the answer never arrived, and repeating them changes nothing on the registry.
   */
  public Response call(Call call) throws IOException {
    for (int attempt = 1; ; attempt++) {
      HttpResponse<InputStream> response = open(call);
      try {
        return read(call, response);
      } catch (RegistryException e) {
        throw e;
      } catch (IOException e) {
        // A stall or a cut (a plain InterruptedIOException is the user stopping rig).
        if (!repeatable(call) || !NetFailure.isTransient(e) || attempt >= retry.maxAttempts()) {
          throw e;
        }
        pause(call, attempt, retry.backoff(attempt), describe(e));
      }
    }
  }

  private static boolean repeatable(Call call) {
    return List.of("GET", "HEAD", "PUT").contains(call.method());
  }

  private Response read(Call call, HttpResponse<InputStream> response) throws IOException {
    try (InputStream in = response.body()) {
      byte[] body = in.readNBytes(MAX_SMALL_BODY + 1);
      if (body.length > MAX_SMALL_BODY) {
        throw new RegistryException(failure(call) + ": the response is larger than 16 MiB");
      }
      return new Response(response.statusCode(), response.headers(), body, response.uri());
    }
  }

  /**
   * Sends {@code call}; on success the caller must read and close the body stream, which fails with
   * {@link dev.rig.oci.net.StalledException} when the registry stops sending for the idle timeout.
   */
  public HttpResponse<InputStream> open(Call call) throws IOException {
    URI uri = call.resolve(base);
    boolean renewed = false;
    int redirects = 0;
    for (int attempt = 1; ; attempt++) {
      Optional<String> auth =
          sameOrigin(uri) ? authorizer.flatMap(Authorizer::header) : Optional.empty();
      HttpResponse<InputStream> response;
      try {
        response = client.send(request(call, uri, auth), HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted during " + call.what() + " on " + registry);
      } catch (SSLException e) {
        throw tlsFailure(e);
      } catch (IOException e) {
        String cause = NetFailure.describe(e, uri);
        if (!NetFailure.isTransient(e)) {
          // A refused connection: nothing listens there, so trying again only delays the error.
          throw new RegistryException(
              failure(call) + ": " + cause + "; check that the registry is up and its address", e);
        }
        if (attempt >= retry.maxAttempts()) {
          throw new RegistryException(
              failure(call)
                  + " after "
                  + attempt
                  + " tries: "
                  + cause
                  + "; check the network and that the registry is up",
              e);
        }
        pause(call, attempt, retry.backoff(attempt), cause);
        continue;
      }
      int status = response.statusCode();
      if (call.expected().contains(status)) {
        return new WatchedResponse(
            response,
            IdleWatch.watch(
                response.body(),
                net.idleTimeout(),
                "registry " + registry + " (" + call.what() + ")"));
      }
      byte[] errorBody = drain(response);
      if (REDIRECTS.contains(status)
          && (call.method().equals("GET") || call.method().equals("HEAD"))
          && response.headers().firstValue("Location").isPresent()
          && redirects++ < 5) {
        uri = uri.resolve(response.headers().firstValue("Location").get());
        attempt--;
        continue;
      }
      if (status == 401 && authorizer.isPresent() && !renewed) {
        renewed = true;
        if (authorizer.get().renew(auth.orElse(null), response.headers())) {
          attempt--;
          continue;
        }
      }
      if (status == 401) {
        throw authFailure(call, auth.isPresent());
      }
      if (retry.isRetryable(status) && attempt < retry.maxAttempts()) {
        int tried = attempt;
        Duration delay = retry.delay(tried, response.headers());
        pause(call, attempt, delay, "HTTP " + status);
        continue;
      }
      throw statusFailure(call, status, errorBody, attempt);
    }
  }

  private boolean sameOrigin(URI uri) {
    // Credentials go only to the registry itself, never to a storage redirect target.
    return uri.getHost() != null
        && uri.getHost().equalsIgnoreCase(base.getHost())
        && uri.getPort() == base.getPort()
        && uri.getScheme().equals(base.getScheme());
  }

  private HttpRequest request(Call call, URI uri, Optional<String> auth) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout);
    call.headers().forEach(builder::header);
    auth.ifPresent(a -> builder.header("Authorization", a));
    HttpRequest.BodyPublisher body =
        call.body().map(s -> s.get()).orElseGet(HttpRequest.BodyPublishers::noBody);
    builder.method(call.method(), body);
    return builder.build();
  }

  private void pause(Call call, int attempt, Duration delay, String reason) throws IOException {
    listener.onEvent(
        new RegistryEvent.Retrying(call.what() + " on " + registry, attempt, delay, reason));
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry " + call.what());
    }
  }

  private static byte[] drain(HttpResponse<InputStream> response) {
    try (InputStream in = response.body()) {
      return in.readNBytes(64 * 1024);
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private String failure(Call call) {
    return "registry "
        + registry
        + ": "
        + call.what()
        + (repository.isEmpty() ? "" : " in repository " + repository)
        + " failed";
  }

  private RegistryException tlsFailure(SSLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertificateException) {
        return new RegistryTlsException(
            "registry "
                + registry
                + ": its TLS certificate is not trusted ("
                + t.getMessage()
                + "); pass the CA that signed it with --ca-file, or --tls-verify=false to skip"
                + " verification (only for a registry you control)",
            e);
      }
    }
    return new RegistryTlsException(
        "registry " + registry + ": TLS handshake failed (" + e.getMessage() + ")", e);
  }

  private RegistryException authFailure(Call call, boolean sentCredentials) throws IOException {
    Authorizer a = authorizer.orElseThrow();
    String who =
        a.credential()
            .map(c -> "refused the credentials of user '" + c.username() + "' from " + c.source())
            .orElse("requires credentials and none were found for it");
    return new RegistryAuthException(
        "registry "
            + registry
            + " "
            + who
            + " ("
            + call.what()
            + " in repository "
            + repository
            + ", HTTP 401). Looked for credentials in: "
            + a.searched()
            + ". Log in with `podman login "
            + registry
            + "` or `docker login "
            + registry
            + "`, pass --creds USER:PASSWORD, or set RIG_REGISTRY_USER and RIG_REGISTRY_PASSWORD.",
        401);
  }

  private RegistryException statusFailure(Call call, int status, byte[] body, int attempts) {
    List<String> codes = new ArrayList<>();
    String detail = errorDetail(body, codes);
    String prefix = failure(call) + ": HTTP " + status + (detail.isEmpty() ? "" : " " + detail);
    if (attempts > 1) {
      prefix += " (after " + attempts + " tries)";
    }
    if (status == 404) {
      return new RegistryNotFoundException(
          prefix + "; check the repository name and tag (or that the blob was pushed)");
    }
    if (status == 403 || codes.contains("DENIED")) {
      return new RegistryAuthException(
          prefix
              + "; the account has no "
              + (call.method().equals("GET") || call.method().equals("HEAD") ? "pull" : "push")
              + " right on "
              + repository
              + ": check the repository name or ask its owner for access",
          status);
    }
    if (codes.contains("DIGEST_INVALID")) {
      return new DigestMismatchException(
          prefix + "; the bytes sent do not match their digest (a corrupt local blob?); rebuild");
    }
    if (status == 413) {
      return new RegistryException(
          prefix + "; the request is too large: lower the chunk size", status, null);
    }
    if (retry.isRetryable(status)) {
      return new RegistryException(
          prefix + "; the registry kept failing, try again later", status, null);
    }
    return new RegistryException(prefix, status, null);
  }

  /** The registry's error codes and messages ({"errors":[{"code":..,"message":..}]}), if any. */
  private static String errorDetail(byte[] body, List<String> codes) {
    if (body.length == 0) {
      return "";
    }
    try {
      JsonNode errors = JSON.readTree(body).path("errors");
      List<String> parts = new ArrayList<>();
      for (JsonNode e : errors) {
        codes.add(e.path("code").asText());
        parts.add(e.path("code").asText() + ": " + e.path("message").asText());
      }
      if (!parts.isEmpty()) {
        return "(" + String.join("; ", parts) + ")";
      }
    } catch (IOException | RuntimeException e) {
      // Not the registry's JSON error format: show the start of the text instead.
    }
    String text = new String(body, StandardCharsets.UTF_8).strip();
    return text.isEmpty()
        ? ""
        : "(" + (text.length() > 200 ? text.substring(0, 200) + "..." : text) + ")";
  }
}
