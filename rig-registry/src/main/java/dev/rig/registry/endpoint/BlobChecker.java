package dev.rig.registry.endpoint;

import dev.rig.oci.digest.Digest;
import dev.rig.registry.http.Call;
import dev.rig.registry.http.RegistryCaller;
import java.io.IOException;

/** {@code HEAD /v2/REPO/blobs/DIGEST}: does the repository already have this blob? */
public record BlobChecker(RegistryCaller caller) {
  public boolean exists(Digest digest) throws IOException {
    int status =
        caller
            .call(
                Call.of(
                    "HEAD",
                    "/v2/" + caller.repository() + "/blobs/" + digest,
                    "check blob " + digest,
                    200,
                    404))
            .status();
    return status == 200;
  }
}
