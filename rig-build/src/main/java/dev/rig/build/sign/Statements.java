package dev.rig.build.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rig.oci.digest.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * in-toto Statement v1: a predicate (provenance, an SBOM) about one image, named by repository and
 * manifest digest.
 */
final class Statements {
  static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Statements() {}

  /** The statement's bytes, with {@code predicate} (a JSON document) embedded as it is. */
  static byte[] of(String repository, Digest manifest, String predicateType, byte[] predicate)
      throws IOException {
    JsonNode body = JSON.readTree(predicate);
    ObjectNode root = JSON.createObjectNode();
    root.put("_type", STATEMENT_TYPE);
    ObjectNode subject = root.putArray("subject").addObject();
    subject.put("name", repository);
    subject.putObject("digest").put(manifest.algorithm(), manifest.hex());
    root.put("predicateType", predicateType);
    root.set("predicate", body);
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }
}
