package dev.rig.registry.endpoint;

import dev.rig.oci.digest.Digest;
import dev.rig.oci.digest.DigestingOutputStream;
import dev.rig.registry.DigestMismatchException;
import dev.rig.registry.http.Call;
import dev.rig.registry.http.RegistryCaller;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code GET /v2/REPO/blobs/DIGEST} streamed to a file, hashed while written; the file appears
 * under its final name only when size and digest match.
 */
public record BlobFetcher(RegistryCaller caller) {
  public void fetch(Digest digest, long size, Path target) throws IOException {
    Files.createDirectories(target.toAbsolutePath().getParent());
    Path temp = Files.createTempFile(target.toAbsolutePath().getParent(), ".download-", ".tmp");
    try {
      HttpResponse<InputStream> response =
          caller.open(
              Call.of(
                  "GET",
                  "/v2/" + caller.repository() + "/blobs/" + digest,
                  "get blob " + digest,
                  200));
      Digest actual;
      long written;
      try (InputStream in = response.body();
          DigestingOutputStream out = new DigestingOutputStream(Files.newOutputStream(temp))) {
        written = in.transferTo(out);
        out.flush();
        actual = out.digest();
      }
      if (written != size || !actual.equals(digest)) {
        throw new DigestMismatchException(
            "registry "
                + caller.registry()
                + " served blob "
                + digest
                + " of "
                + caller.repository()
                + " as "
                + written
                + " bytes hashing to "
                + actual
                + " (expected "
                + size
                + " bytes); try again, or report the registry");
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
