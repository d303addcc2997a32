package dev.rig.registry.endpoint;

import dev.rig.registry.http.Call;
import dev.rig.registry.http.RegistryCaller;
import dev.rig.registry.http.Response;
import dev.rig.registry.model.RegistryException;
import java.io.IOException;
import java.util.Optional;

/** {@code POST /v2/REPO/blobs/uploads/}: opens an upload session. */
public record UploadStarter(RegistryCaller caller) {
  public UploadSession start(String what) throws IOException {
    Response response =
        caller.call(Call.of("POST", "/v2/" + caller.repository() + "/blobs/uploads/", what, 202));
    return session(caller, response, what);
  }

  static UploadSession session(RegistryCaller caller, Response response, String what)
      throws IOException {
    String location =
        response
            .location()
            .orElseThrow(
                () ->
                    new RegistryException(
                        "registry "
                            + caller.registry()
                            + " opened an upload for "
                            + what
                            + " but sent no Location header"));
    Optional<Long> min = response.header("OCI-Chunk-Min-Length").flatMap(UploadStarter::parseLong);
    return new UploadSession(location, min);
  }

  private static Optional<Long> parseLong(String s) {
    try {
      return Optional.of(Long.parseLong(s.strip()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
