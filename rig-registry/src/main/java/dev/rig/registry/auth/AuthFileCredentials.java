package dev.rig.registry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * A Docker {@code config.json} or a podman/containers {@code auth.json} (the same format): {@code
 * auths.HOST.auth} (base64 user:password), {@code credHelpers.HOST} and {@code credsStore}, which
 * name helper programs. A missing file simply has no credentials.
 */
public record AuthFileCredentials(Path file, CredentialHelper helper) implements CredentialSource {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Optional<Credential> find(String registry) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IOException(
          file + " is not valid JSON (line " + e.getLocation().getLineNr() + "); fix or remove it");
    }
    if (root == null || !root.isObject()) {
      return Optional.empty();
    }
    String wanted = RegistryKeys.normalize(registry);
    // A per-registry helper wins over a stored entry, as in Docker.
    Optional<String> helperName = entry(root.path("credHelpers"), wanted).map(JsonNode::asText);
    if (helperName.isPresent()) {
      return helper.get(helperName.get(), registry, file.toString());
    }
    Optional<JsonNode> auth = entry(root.path("auths"), wanted);
    if (auth.isPresent()) {
      Optional<Credential> decoded = decode(auth.get(), registry);
      if (decoded.isPresent()) {
        return decoded;
      }
    }
    String store = root.path("credsStore").asText("");
    if (!store.isEmpty()) {
      return helper.get(store, registry, file.toString());
    }
    return Optional.empty();
  }

  private Optional<Credential> decode(JsonNode auth, String registry) throws IOException {
    String encoded = auth.path("auth").asText("");
    if (!encoded.isEmpty()) {
      String pair;
      try {
        pair = new String(Base64.getDecoder().decode(encoded.strip()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ": auths." + registry + ".auth is not valid base64");
      }
      int colon = pair.indexOf(':');
      if (colon < 0) {
        throw new IOException(
            file + ": auths." + registry + ".auth is not base64 of user:password");
      }
      return Optional.of(
          new Credential(pair.substring(0, colon), pair.substring(colon + 1), file.toString()));
    }
    String user = auth.path("username").asText("");
    String password = auth.path("password").asText("");
    if (!user.isEmpty()) {
      return Optional.of(new Credential(user, password, file.toString()));
    }
    return Optional.empty();
  }

  private static Optional<JsonNode> entry(JsonNode map, String wanted) {
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (RegistryKeys.normalize(e.getKey()).equals(wanted)) {
        return Optional.of(e.getValue());
      }
    }
    return Optional.empty();
  }

  @Override
  public String describe() {
    return file.toString();
  }
}
