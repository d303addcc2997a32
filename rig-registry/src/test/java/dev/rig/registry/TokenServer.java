package dev.rig.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal Docker token service for tests: checks Basic credentials and returns an RS256 JWT
 * granting the requested scopes, with the signing certificate in its x5c header (which the registry
 * verifies against its rootcertbundle).
 */
final class TokenServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final PrivateKey key;
  private final byte[] certDer;
  private final String user;
  private final String password;
  final List<String> scopeRequests = new CopyOnWriteArrayList<>();

  TokenServer(Path keyPem, Path certPem, String user, String password)
      throws IOException, GeneralSecurityException {
    this.key =
        KeyFactory.getInstance("RSA")
            .generatePrivate(new PKCS8EncodedKeySpec(pemBody(Files.readString(keyPem))));
    try (var in = Files.newInputStream(certPem)) {
      this.certDer = CertificateFactory.getInstance("X.509").generateCertificate(in).getEncoded();
    }
    this.user = user;
    this.password = password;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/token", this::handle);
    server.start();
  }

  String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  private static byte[] pemBody(String pem) {
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return Base64.getDecoder().decode(body);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      exchange.sendResponseHeaders(401, -1);
      exchange.close();
      return;
    }
    String service = "";
    List<String> scopes = new ArrayList<>();
    String query = exchange.getRequestURI().getRawQuery();
    for (String pair : query == null ? new String[0] : query.split("&")) {
      String[] kv = pair.split("=", 2);
      String value = URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8);
      if (kv[0].equals("service")) {
        service = value;
      } else if (kv[0].equals("scope")) {
        scopes.add(value);
      }
    }
    scopeRequests.add(String.join(" ", scopes));
    try {
      byte[] body =
          JSON.writeValueAsBytes(JSON.createObjectNode().put("token", jwt(service, scopes)));
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    } catch (GeneralSecurityException e) {
      exchange.sendResponseHeaders(500, -1);
    }
    exchange.close();
  }

  private String jwt(String service, List<String> scopes)
      throws GeneralSecurityException, IOException {
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    ObjectNode header = JSON.createObjectNode().put("typ", "JWT").put("alg", "RS256");
    header.putArray("x5c").add(Base64.getEncoder().encodeToString(certDer));
    long now = System.currentTimeMillis() / 1000;
    ObjectNode claims =
        JSON.createObjectNode()
            .put("iss", "rig-test-issuer")
            .put("sub", user)
            .put("aud", service)
            .put("iat", now - 10)
            .put("nbf", now - 10)
            .put("exp", now + 300)
            .put("jti", Long.toHexString(System.nanoTime()));
    ArrayNode access = claims.putArray("access");
    for (String scope : scopes) {
      String[] parts = scope.split(":");
      ObjectNode entry = access.addObject().put("type", parts[0]).put("name", parts[1]);
      ArrayNode actions = entry.putArray("actions");
      for (String a : parts[2].split(",")) {
        actions.add(a);
      }
    }
    String signingInput =
        url.encodeToString(JSON.writeValueAsBytes(header))
            + "."
            + url.encodeToString(JSON.writeValueAsBytes(claims));
    Signature signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(key);
    signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + url.encodeToString(signer.sign());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
