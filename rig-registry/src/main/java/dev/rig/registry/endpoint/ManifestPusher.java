package dev.rig.registry.endpoint;

import dev.rig.oci.digest.Digest;
import dev.rig.registry.http.Call;
import dev.rig.registry.http.RegistryCaller;
import dev.rig.registry.http.Response;
import dev.rig.registry.model.DigestMismatchException;
import java.io.IOException;
import java.net.http.HttpRequest;

/**
 * {@code PUT /v2/REPO/manifests/REFERENCE} with the manifest's own media type (the registry stores
 * the bytes as sent, so the digest is that of our bytes; a different answer is an error).
 */
public record ManifestPusher(RegistryCaller caller) {
  public Digest push(String reference, byte[] manifest, String mediaType) throws IOException {
    Digest expected = Digest.of(manifest);
    byte[] body = manifest.clone();
    Response response =
        caller.call(
            Call.of(
                    "PUT",
                    "/v2/" + caller.repository() + "/manifests/" + reference,
                    "push manifest " + reference,
                    201)
                .withHeader("Content-Type", mediaType)
                .withBody(() -> HttpRequest.BodyPublishers.ofByteArray(body)));
    String answered = response.header("Docker-Content-Digest").orElse(expected.toString());
    if (!answered.equals(expected.toString())) {
      throw new DigestMismatchException(
          "registry "
              + caller.registry()
              + " stored manifest "
              + reference
              + " of "
              + caller.repository()
              + " as "
              + answered
              + " but its bytes hash to "
              + expected);
    }
    return expected;
  }
}
