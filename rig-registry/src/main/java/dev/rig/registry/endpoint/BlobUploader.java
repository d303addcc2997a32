package dev.rig.registry.endpoint;

import dev.rig.oci.digest.Digest;
import dev.rig.oci.image.BlobSource;
import dev.rig.registry.http.Call;
import dev.rig.registry.http.RegistryCaller;
import dev.rig.registry.http.Response;
import dev.rig.registry.model.RegistryEvent;
import dev.rig.registry.model.RegistryListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Sends a blob's bytes into an open upload session, streamed from its source: one PUT for a blob up
 * to {@code monolithicLimit}, otherwise PATCHes of {@code chunkSize} (raised to the registry's
 * OCI-Chunk-Min-Length) then a closing PUT. The registry checks the digest on the closing PUT.
 */
public record BlobUploader(
    RegistryCaller caller, long chunkSize, long monolithicLimit, RegistryListener listener) {

  /** Uploads and returns how many requests carried bytes. */
  public int upload(UploadSession session, Digest digest, long size, BlobSource source)
      throws IOException {
    listener.onEvent(new RegistryEvent.BlobUploadStarted(caller.repository(), digest, size));
    String what = "upload blob " + digest;
    if (size <= monolithicLimit) {
      caller.call(
          Call.of("PUT", withDigest(session.location(), digest), what, 201)
              .withHeader("Content-Type", "application/octet-stream")
              .withBody(() -> whole(source, size)));
      listener.onEvent(new RegistryEvent.BlobProgress(digest, size, size));
      return 1;
    }
    long chunk = Math.max(chunkSize, session.minChunk().orElse(0L));
    String location = session.location();
    int requests = 0;
    for (long offset = 0; offset < size; offset += chunk) {
      long length = Math.min(chunk, size - offset);
      long start = offset;
      Response response =
          caller.call(
              Call.of("PATCH", location, what + " (bytes " + start + "+" + length + ")", 202)
                  .withHeader("Content-Type", "application/octet-stream")
                  .withHeader("Content-Range", start + "-" + (start + length - 1))
                  .withBody(() -> range(source, start, length)));
      // Each PATCH answer carries the URL for the next request; it may change.
      location = response.location().orElse(location);
      requests++;
      listener.onEvent(new RegistryEvent.BlobProgress(digest, start + length, size));
    }
    caller.call(
        Call.of("PUT", withDigest(location, digest), what + " (commit)", 201)
            .withHeader("Content-Type", "application/octet-stream")
            .withBody(() -> HttpRequest.BodyPublishers.noBody()));
    return requests;
  }

  static String withDigest(String location, Digest digest) {
    return location
        + (location.contains("?") ? "&" : "?")
        + "digest="
        + URLEncoder.encode(digest.toString(), StandardCharsets.UTF_8);
  }

  private static HttpRequest.BodyPublisher whole(BlobSource source, long size) {
    Optional<Path> file = source.file();
    if (file.isPresent()) {
      try {
        return HttpRequest.BodyPublishers.ofFile(file.get());
      } catch (java.io.FileNotFoundException e) {
        throw new UncheckedIOException(e);
      }
    }
    return HttpRequest.BodyPublishers.fromPublisher(
        HttpRequest.BodyPublishers.ofInputStream(opener(source, 0, size)), size);
  }

  private static HttpRequest.BodyPublisher range(BlobSource source, long offset, long length) {
    return HttpRequest.BodyPublishers.fromPublisher(
        HttpRequest.BodyPublishers.ofInputStream(opener(source, offset, length)), length);
  }

  /**
   * Opens the source at {@code offset}, limited to {@code length} bytes; a fresh stream per try.
   */
  private static Supplier<InputStream> opener(BlobSource source, long offset, long length) {
    return () -> {
      try {
        InputStream in = source.open();
        in.skipNBytes(offset);
        return new LimitedInputStream(in, length);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }
}
