package dev.rig.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.rig.registry.auth.CredentialChain;
import dev.rig.registry.auth.CredentialChain.UserPassword;
import dev.rig.registry.http.Call;
import dev.rig.registry.model.ImageReference;
import dev.rig.registry.model.RegistryAuthException;
import dev.rig.registry.model.RegistryListener;
import dev.rig.registry.model.RegistryOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --creds and RIG_REGISTRY_USER/PASSWORD go only to the registry pushed to: a base image's registry
 * (another port is another host) and the token service it names never see them.
 */
class CredentialScopeTest {
  @TempDir Path home;
  private final List<HttpServer> servers = new ArrayList<>();
  private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  /** A registry that answers every request 401 with {@code challenge}, noting Authorization. */
  private String registry(String challenge) throws IOException {
    return server(
        exchange -> {
          authorizations.add("registry " + exchange.getRequestHeaders().getFirst("Authorization"));
          exchange.getResponseHeaders().add("WWW-Authenticate", challenge);
          exchange.sendResponseHeaders(401, -1);
          exchange.close();
        });
  }

  /** A token service that hands out a token (never accepted), noting Authorization. */
  private String tokenService() throws IOException {
    return server(
        exchange -> {
          authorizations.add("token " + exchange.getRequestHeaders().getFirst("Authorization"));
          byte[] body = "{\"token\":\"t\"}".getBytes();
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
  }

  private String server(HttpHandler handler) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", handler);
    server.start();
    servers.add(server);
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private RegistryClient client(String pushTarget) throws IOException {
    CredentialChain chain =
        CredentialChain.standard(
            Optional.of(new UserPassword("cli", "cli-secret")),
            Set.of(pushTarget),
            Map.of("RIG_REGISTRY_USER", "ci", "RIG_REGISTRY_PASSWORD", "ci-secret", "PATH", ""),
            home);
    return new RegistryClient(RegistryOptions.defaults(), chain, RegistryListener.NONE);
  }

  private static void pullManifest(RegistryClient client, String registry) {
    assertThrows(
        RegistryAuthException.class,
        () ->
            client
                .pullCaller(ImageReference.parse(registry + "/base/image:1"))
                .call(Call.of("GET", "/v2/base/image/manifests/1", "get manifest", 200)));
  }

  @Test
  void aBaseRegistryOnAnotherPortGetsNoExplicitCredentials() throws IOException {
    String target = registry("Basic realm=\"target\"");
    String base = registry("Basic realm=\"base\"");
    pullManifest(client(target), base);
    assertFalse(authorizations.isEmpty());
    assertTrue(
        authorizations.stream().allMatch(a -> a.equals("registry null")),
        "the base registry got credentials: " + authorizations);
  }

  @Test
  void aTokenRealmNamedByABaseRegistryGetsNoBasicCredentials() throws IOException {
    String realm = tokenService();
    String target = registry("Basic realm=\"target\"");
    String base = registry("Bearer realm=\"http://" + realm + "/token\",service=\"base\"");
    pullManifest(client(target), base);
    List<String> toTokens = authorizations.stream().filter(a -> a.startsWith("token")).toList();
    assertFalse(toTokens.isEmpty(), authorizations.toString());
    assertEquals(List.of("token null"), toTokens.subList(0, 1), authorizations.toString());
    assertTrue(toTokens.stream().noneMatch(a -> a.contains("Basic")), authorizations.toString());
  }

  @Test
  void thePushTargetStillGetsThem() throws IOException {
    String target = registry("Basic realm=\"target\"");
    pullManifest(client(target), target);
    assertTrue(
        authorizations.stream().anyMatch(a -> a.startsWith("registry Basic")),
        authorizations.toString());
  }
}
