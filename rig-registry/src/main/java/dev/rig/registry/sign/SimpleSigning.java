package dev.rig.registry.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rig.oci.digest.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The payload a cosign signature signs ("simple signing"): which manifest digest, under which name.
 * Written with sorted keys and {@code "optional": null} (no creator, no time), so the bytes are a
 * function of the name and digest alone; read strictly, as skopeo reads it.
 *
 * @param dockerReference the name signed, {@code host/repository[:tag]}
 */
public record SimpleSigning(String dockerReference, Digest manifestDigest) {
  public static final String TYPE = "cosign container image signature";
  public static final String MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  public byte[] bytes() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode critical = root.putObject("critical");
    critical.putObject("identity").put("docker-reference", dockerReference);
    critical.putObject("image").put("docker-manifest-digest", manifestDigest.toString());
    critical.put("type", TYPE);
    root.putNull("optional");
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The payload {@code bytes} hold, or empty when they are not a cosign signature payload. */
  public static Optional<SimpleSigning> parse(byte[] bytes) {
    try {
      JsonNode root = JSON.readTree(bytes);
      JsonNode critical = root == null ? null : root.get("critical");
      if (critical == null || !TYPE.equals(critical.path("type").asText())) {
        return Optional.empty();
      }
      String reference = critical.path("identity").path("docker-reference").asText("");
      String digest = critical.path("image").path("docker-manifest-digest").asText("");
      if (reference.isEmpty() || digest.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new SimpleSigning(reference, Digest.parse(digest)));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
