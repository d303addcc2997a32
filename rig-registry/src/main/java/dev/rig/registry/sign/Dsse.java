package dev.rig.registry.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A DSSE envelope (the wrapper in-toto attestations travel in): the payload and its type, signed
 * through the pre-authentication encoding so that a signature cannot be moved to another type.
 */
public record Dsse(String payloadType, byte[] payload, List<byte[]> signatures) {
  public static final String MEDIA_TYPE = "application/vnd.dsse.envelope.v1+json";
  public static final String IN_TOTO = "application/vnd.in-toto+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  public Dsse {
    payload = payload.clone();
    signatures = List.copyOf(signatures);
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** {@code payload} of {@code payloadType} signed with {@code key}. */
  public static Dsse sign(String payloadType, byte[] payload, PrivateKey key) {
    return new Dsse(
        payloadType, payload, List.of(PayloadSignature.sign(key, pae(payloadType, payload))));
  }

  /** "DSSEv1 LEN(type) type LEN(body) body", the bytes a DSSE signature covers. */
  public static byte[] pae(String payloadType, byte[] payload) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        ("DSSEv1 " + type.length + " " + payloadType + " " + payload.length + " ")
            .getBytes(StandardCharsets.UTF_8));
    out.writeBytes(payload);
    return out.toByteArray();
  }

  public byte[] json() {
    ObjectNode root = JSON.createObjectNode();
    root.put("payloadType", payloadType);
    root.put("payload", Base64.getEncoder().encodeToString(payload));
    var sigs = root.putArray("signatures");
    for (byte[] signature : signatures) {
      sigs.addObject().put("keyid", "").put("sig", Base64.getEncoder().encodeToString(signature));
    }
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The envelope {@code bytes} hold, or empty when they are not one. */
  public static Optional<Dsse> parse(byte[] bytes) {
    try {
      JsonNode root = JSON.readTree(bytes);
      if (root == null || !root.path("payloadType").isTextual()) {
        return Optional.empty();
      }
      List<byte[]> signatures = new ArrayList<>();
      for (JsonNode sig : root.path("signatures")) {
        signatures.add(Base64.getDecoder().decode(sig.path("sig").asText("")));
      }
      return Optional.of(
          new Dsse(
              root.path("payloadType").asText(),
              Base64.getDecoder().decode(root.path("payload").asText("")),
              signatures));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
