package dev.rig.registry.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.oci.digest.Digest;
import dev.rig.oci.image.MediaTypes;
import dev.rig.registry.http.Call;
import dev.rig.registry.http.RegistryCaller;
import dev.rig.registry.http.Response;
import dev.rig.registry.model.DigestMismatchException;
import dev.rig.registry.model.RegistryException;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code GET /v2/REPO/manifests/REFERENCE}, accepting OCI and Docker schema 2 manifests and lists.
 * The bytes are checked against the digest asked for, or else the one the registry names.
 */
public record ManifestFetcher(RegistryCaller caller) {
  static final String ACCEPT =
      String.join(
          ", ",
          MediaTypes.OCI_MANIFEST,
          MediaTypes.OCI_INDEX,
          MediaTypes.DOCKER_MANIFEST,
          MediaTypes.DOCKER_MANIFEST_LIST);
  private static final ObjectMapper JSON = new ObjectMapper();

  public FetchedManifest fetch(String reference) throws IOException {
    Response response =
        caller.call(
            Call.of(
                    "GET",
                    "/v2/" + caller.repository() + "/manifests/" + reference,
                    "get manifest " + reference,
                    200)
                .withHeader("Accept", ACCEPT));
    byte[] bytes = response.body();
    Digest actual = Digest.of(bytes);
    Optional<String> expected =
        reference.startsWith("sha256:")
            ? Optional.of(reference)
            : response.header("Docker-Content-Digest");
    if (expected.isPresent() && !expected.get().equals(actual.toString())) {
      throw new DigestMismatchException(
          "registry "
              + caller.registry()
              + " served manifest "
              + reference
              + " of "
              + caller.repository()
              + " with digest "
              + actual
              + ", expected "
              + expected.get());
    }
    Optional<String> served =
        response
            .header("Content-Type")
            .map(t -> t.split(";")[0].strip())
            .filter(t -> MediaTypes.isManifest(t) || MediaTypes.isIndex(t));
    String mediaType =
        served.isPresent()
            ? served.get()
            : mediaTypeOf(
                bytes,
                "manifest " + reference + " of " + caller.registry() + "/" + caller.repository());
    return new FetchedManifest(mediaType, actual, bytes);
  }

  /** The mediaType a manifest names itself (OCI when absent), for a registry that sent no type. */
  public static String mediaTypeOf(byte[] bytes, String what) throws RegistryException {
    JsonNode node;
    try {
      node = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new RegistryException(what + " is not valid JSON: " + e.getMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new RegistryException(what + " is not a JSON object");
    }
    JsonNode type = node.path("mediaType");
    return type.isTextual() ? type.asText() : MediaTypes.OCI_MANIFEST;
  }

  /** {@code HEAD}: the digest the reference points at now, without the body. */
  public Optional<Digest> head(String reference) throws IOException {
    Response response =
        caller.call(
            Call.of(
                    "HEAD",
                    "/v2/" + caller.repository() + "/manifests/" + reference,
                    "check manifest " + reference,
                    200,
                    404)
                .withHeader("Accept", ACCEPT));
    if (response.status() == 404) {
      return Optional.empty();
    }
    Optional<String> header = response.header("Docker-Content-Digest");
    try {
      return header.map(Digest::parse);
    } catch (IllegalArgumentException e) {
      throw new RegistryException(
          "registry "
              + caller.registry()
              + " sent a bad Docker-Content-Digest for "
              + caller.repository()
              + ":"
              + reference
              + ": "
              + e.getMessage());
    }
  }
}
