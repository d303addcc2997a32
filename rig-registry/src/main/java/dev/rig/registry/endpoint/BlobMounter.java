package dev.rig.registry.endpoint;

import dev.rig.oci.digest.Digest;
import dev.rig.registry.http.Call;
import dev.rig.registry.http.RegistryCaller;
import dev.rig.registry.http.Response;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code POST /v2/REPO/blobs/uploads/?mount=DIGEST&from=OTHER}: links a blob from another
 * repository of the same registry. 201 means mounted; 202 means the registry declined (the source
 * lacks the blob or we may not read it) and opened a normal upload instead, which is returned.
 */
public record BlobMounter(RegistryCaller caller) {
  public Optional<UploadSession> mount(Digest digest, String from) throws IOException {
    Response response =
        caller.call(
            Call.of(
                "POST",
                "/v2/" + caller.repository() + "/blobs/uploads/?mount=" + digest + "&from=" + from,
                "mount blob " + digest + " from " + from,
                201,
                202));
    if (response.status() == 201) {
      return Optional.empty();
    }
    return Optional.of(UploadStarter.session(caller, response, "blob " + digest));
  }
}
