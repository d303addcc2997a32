package dev.rig.registry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.oci.net.IdleWatch;
import dev.rig.oci.net.NetFailure;
import dev.rig.registry.model.RegistryAuthException;
import dev.rig.registry.model.RegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Gets a bearer token from the realm a registry's challenge names (the Docker token protocol):
 * {@code GET realm?service=S&scope=A&scope=B}, with Basic credentials when there are any.
 */
public record TokenFetcher(HttpClient client, String registry, Duration idleTimeout) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public String fetch(AuthChallenge challenge, List<String> scopes, Optional<Credential> credential)
      throws IOException {
    String realm =
        challenge
            .param("realm")
            .orElseThrow(
                () ->
                    new RegistryException(
                        "registry " + registry + " asked for a bearer token but named no realm"));
    URI uri = tokenUri(registry, challenge, scopes);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(1)).GET();
    credential.ifPresent(c -> request.header("Authorization", c.basicHeader()));
    HttpResponse<InputStream> response;
    byte[] answer;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      // A token service that stalls mid-answer must not hold the build: the idle timeout ends it.
      try (InputStream in =
          IdleWatch.watch(response.body(), idleTimeout, "token service " + realm)) {
        answer = in.readNBytes(1 << 20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while getting a token from " + realm);
    } catch (IOException e) {
      throw new RegistryException(
          "registry "
              + registry
              + ": getting a token from "
              + realm
              + " failed: "
              + NetFailure.describe(e, uri),
          e);
    }
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      throw new RegistryAuthException(
          "the token service "
              + realm
              + " of registry "
              + registry
              + " refused "
              + credential.map(c -> "the credentials from " + c.source()).orElse("anonymous access")
              + " (HTTP "
              + response.statusCode()
              + ")",
          response.statusCode());
    }
    if (response.statusCode() != 200) {
      throw new RegistryException(
          "the token service " + realm + " answered HTTP " + response.statusCode(),
          response.statusCode(),
          null);
    }
    return token(realm, answer);
  }

  /**
   * Where to ask for a token: the challenge's realm with service and scopes. The realm is the
   * registry's text, so a malformed one is the registry's error, not a crash.
   */
  public static URI tokenUri(String registry, AuthChallenge challenge, List<String> scopes)
      throws RegistryException {
    String realm = challenge.param("realm").orElse("");
    StringBuilder query = new StringBuilder();
    challenge.param("service").ifPresent(s -> append(query, "service", s));
    scopes.forEach(s -> append(query, "scope", s));
    try {
      URI uri = new URI(realm + (realm.contains("?") ? "&" : "?") + query);
      if (uri.getScheme() == null
          || !(uri.getScheme().equalsIgnoreCase("http")
              || uri.getScheme().equalsIgnoreCase("https"))
          || uri.getHost() == null) {
        throw new URISyntaxException(realm, "not an http(s) URL with a host");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new RegistryException(
          "registry "
              + registry
              + " named a token realm that is not an http(s) URL: '"
              + realm
              + "' ("
              + e.getReason()
              + ")");
    }
  }

  /**
   * The token of a token service's JSON answer ({@code token}, or OAuth2's {@code access_token}).
   */
  public static String token(String realm, byte[] body) throws RegistryException {
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      throw new RegistryException(
          "the token service " + realm + " answered with invalid JSON: " + e.getMessage(), e);
    }
    String token = json == null ? "" : textOf(json.path("token"));
    if (token.isEmpty() && json != null) {
      token = textOf(json.path("access_token"));
    }
    if (token.isEmpty()) {
      throw new RegistryException("the token service " + realm + " returned no token");
    }
    return token;
  }

  private static String textOf(JsonNode node) {
    return node.isTextual() ? node.asText() : "";
  }

  private static void append(StringBuilder query, String key, String value) {
    if (query.length() > 0) {
      query.append('&');
    }
    query.append(key).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
  }
}
