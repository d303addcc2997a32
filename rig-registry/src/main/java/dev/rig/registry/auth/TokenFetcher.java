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
    StringBuilder query = new StringBuilder();
    challenge.param("service").ifPresent(s -> append(query, "service", s));
    scopes.forEach(s -> append(query, "scope", s));
    URI uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
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
    JsonNode body = JSON.readTree(answer);
    String token = body.path("token").asText("");
    if (token.isEmpty()) {
      token = body.path("access_token").asText("");
    }
    if (token.isEmpty()) {
      throw new RegistryException("the token service " + realm + " returned no token");
    }
    return token;
  }

  private static void append(StringBuilder query, String key, String value) {
    if (query.length() > 0) {
      query.append('&');
    }
    query.append(key).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
  }
}
