package dev.rig.build.load;

import dev.rig.oci.OciException;
import dev.rig.oci.digest.Digest;
import dev.rig.oci.layout.PlainImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A read-only registry on 127.0.0.1, alive for one load, from which the engine on this machine
 * pulls rig's images: layers stream from the cache, decompressed on the way, with no archive file
 * on either side, several at once, and a layer the engine's store already has is never asked for.
 *
 * <p>It answers the distribution API's reads only: {@code GET /v2/}, and {@code GET}/{@code HEAD}
 * of {@code /v2/REPO/manifests/TAG} and {@code /v2/REPO/blobs/DIGEST}. It listens on the loopback
 * address alone, on a port the system picks.
 */
final class LoopbackRegistry implements AutoCloseable {
  /**
   * An engine pulls a few layers at once (podman: 6); each takes one connection while it streams.
   */
  private static final int CONNECTIONS = 8;

  private final Map<String, PlainImage> imagesByPath;
  private final LoadProgress progress;
  private final Set<Digest> layersSent = ConcurrentHashMap.newKeySet();
  private final List<IOException> damage = new ArrayList<>();
  private LoopbackServer server;

  private LoopbackRegistry(Map<String, PlainImage> imagesByPath, LoadProgress progress) {
    this.imagesByPath = Map.copyOf(imagesByPath);
    this.progress = progress;
  }

  /**
   * Starts serving.
   *
   * @param imagesByPath each image under {@code REPO:TAG} (what follows the host in a pull)
   * @param progress counts every layer byte sent
   */
  static LoopbackRegistry serve(Map<String, PlainImage> imagesByPath, LoadProgress progress)
      throws IOException {
    LoopbackRegistry registry = new LoopbackRegistry(imagesByPath, progress);
    registry.server = LoopbackServer.start(CONNECTIONS, registry::answer);
    return registry;
  }

  /** {@code 127.0.0.1:PORT}, the host part of the references to pull. */
  String host() {
    return server.host();
  }

  /** The layers the engine fetched (those its store lacked). */
  Set<Digest> layersSent() {
    return Set.copyOf(layersSent);
  }

  /** A cache blob found damaged while it was sent: the real reason an engine's pull failed. */
  synchronized Optional<IOException> damage() {
    return damage.isEmpty() ? Optional.empty() : Optional.of(damage.get(0));
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  private void answer(LoopbackServer.Request request, LoopbackServer.Response response)
      throws IOException {
    if (!request.head() && !request.method().equals("GET")) {
      error(response, 405, "UNSUPPORTED", "this registry only serves reads");
      return;
    }
    String path = request.path();
    if (path.equals("/v2/") || path.equals("/v2")) {
      response.send(200, "application/json", "{}".getBytes(StandardCharsets.UTF_8), Map.of());
      return;
    }
    int manifests = path.lastIndexOf("/manifests/");
    int blobs = path.lastIndexOf("/blobs/");
    if (path.startsWith("/v2/") && manifests > 4) {
      manifest(
          response,
          path.substring(4, manifests),
          path.substring(manifests + "/manifests/".length()));
    } else if (path.startsWith("/v2/") && blobs > 4) {
      blob(request, response, path.substring(4, blobs), path.substring(blobs + "/blobs/".length()));
    } else {
      error(response, 404, "NAME_UNKNOWN", "no such path: " + path);
    }
  }

  private void manifest(LoopbackServer.Response response, String repository, String reference)
      throws IOException {
    Optional<PlainImage> image =
        Optional.ofNullable(imagesByPath.get(repository + ":" + reference));
    if (image.isEmpty()) {
      // By digest: what an engine may ask for once it has read the tag.
      image =
          imagesByPath.entrySet().stream()
              .filter(e -> e.getKey().startsWith(repository + ":"))
              .map(Map.Entry::getValue)
              .filter(i -> i.manifest().digest().toString().equals(reference))
              .findFirst();
    }
    if (image.isEmpty()) {
      error(response, 404, "MANIFEST_UNKNOWN", repository + ":" + reference + " is not served");
      return;
    }
    response.send(
        200,
        image.get().manifest().mediaType(),
        image.get().manifestJson(),
        Map.of("Docker-Content-Digest", image.get().manifest().digest().toString()));
  }

  private void blob(
      LoopbackServer.Request request,
      LoopbackServer.Response response,
      String repository,
      String digestText)
      throws IOException {
    Optional<Digest> digest;
    try {
      digest = Optional.of(Digest.parse(digestText));
    } catch (IllegalArgumentException e) {
      digest = Optional.empty();
    }
    Optional<PlainImage.Content> content = Optional.empty();
    for (var entry : imagesByPath.entrySet()) {
      if (digest.isPresent() && entry.getKey().startsWith(repository + ":")) {
        content = entry.getValue().blob(digest.get());
        if (content.isPresent()) {
          break;
        }
      }
    }
    if (content.isEmpty()) {
      error(response, 404, "BLOB_UNKNOWN", digestText + " is not served in " + repository);
      return;
    }
    OutputStream body =
        response.start(
            200,
            content.get().size(),
            Map.of(
                "Content-Type",
                "application/octet-stream",
                "Docker-Content-Digest",
                digest.get().toString()));
    if (request.head()) {
      return;
    }
    if (content.get().decompressed()) {
      layersSent.add(digest.get());
    }
    try {
      content.get().writeTo(progress.counting(body));
    } catch (OciException damaged) {
      synchronized (this) {
        damage.add(damaged);
      }
      // Thrown on, so that the connection closes short of the length it announced and the engine
      // fails; the loader reports this reason instead of the engine's.
      throw damaged;
    }
  }

  private static void error(
      LoopbackServer.Response response, int status, String code, String message)
      throws IOException {
    byte[] body =
        ("{\"errors\":[{\"code\":\""
                + code
                + "\",\"message\":\""
                + message.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\"}]}")
            .getBytes(StandardCharsets.UTF_8);
    response.send(status, "application/json", body, Map.of());
  }
}
