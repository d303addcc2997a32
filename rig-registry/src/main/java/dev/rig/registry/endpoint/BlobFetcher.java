package dev.rig.registry.endpoint;

import dev.rig.oci.digest.Digest;
import dev.rig.oci.digest.DigestingOutputStream;
import dev.rig.oci.io.TempNames;
import dev.rig.oci.net.NetFailure;
import dev.rig.oci.net.RetryPolicy;
import dev.rig.registry.http.Call;
import dev.rig.registry.http.RegistryCaller;
import dev.rig.registry.model.DigestMismatchException;
import dev.rig.registry.model.RegistryEvent;
import dev.rig.registry.model.RegistryException;
import dev.rig.registry.model.RegistryListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * {@code GET /v2/REPO/blobs/DIGEST} streamed to a file, hashed while written; the file appears
 * under its final name only when size and digest match. A body cut or stalled mid-way is resumed
 * with a range request (from the start when the registry ignores ranges), within the shared retry
 * policy.
 */
public record BlobFetcher(RegistryCaller caller, RegistryListener listener) {
  public BlobFetcher(RegistryCaller caller) {
    this(caller, RegistryListener.NONE);
  }

  public void fetch(Digest digest, long size, Path target) throws IOException {
    Files.createDirectories(target.toAbsolutePath().getParent());
    Path temp =
        Files.createTempFile(
            target.toAbsolutePath().getParent(), TempNames.prefix() + "download-", ".tmp");
    String what = "get blob " + digest;
    String path = "/v2/" + caller.repository() + "/blobs/" + digest;
    RetryPolicy retry = caller.net().retry();
    try {
      DigestingOutputStream out = new DigestingOutputStream(Files.newOutputStream(temp));
      long written = 0;
      try {
        for (int attempt = 1; ; attempt++) {
          Call call =
              written == 0
                  ? Call.of("GET", path, what, 200)
                  : Call.of("GET", path, what, 200, 206)
                      .withHeader("Range", "bytes=" + written + "-");
          HttpResponse<InputStream> response = caller.open(call);
          if (written > 0 && !resumes(response, written)) {
            // The registry sent the whole blob again: start the file over.
            out.close();
            out = new DigestingOutputStream(Files.newOutputStream(temp));
            written = 0;
          }
          try (InputStream in = response.body()) {
            in.transferTo(out);
            written = out.count();
            break;
          } catch (IOException e) {
            written = out.count();
            String cause = caller.describe(e);
            if (!NetFailure.isTransient(e) || attempt >= retry.maxAttempts()) {
              throw new RegistryException(
                  "registry "
                      + caller.registry()
                      + ": "
                      + what
                      + " of "
                      + caller.repository()
                      + " failed after "
                      + attempt
                      + (attempt == 1 ? " try" : " tries")
                      + " ("
                      + written
                      + " of "
                      + size
                      + " bytes): "
                      + cause
                      + "; check the network and try again",
                  e);
            }
            Duration delay = retry.backoff(attempt);
            listener.onEvent(
                new RegistryEvent.Retrying(
                    what + " on " + caller.registry(), attempt, delay, cause));
            sleep(delay);
          }
        }
        out.flush();
      } finally {
        out.close();
      }
      Digest actual = out.digest();
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

  private static boolean resumes(HttpResponse<InputStream> response, long from) {
    return response.statusCode() == 206
        && response
            .headers()
            .firstValue("Content-Range")
            .orElse("")
            .startsWith("bytes " + from + "-");
  }

  private static void sleep(Duration delay) throws IOException {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to resume a blob download");
    }
  }
}
