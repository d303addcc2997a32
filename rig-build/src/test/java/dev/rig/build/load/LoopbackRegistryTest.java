package dev.rig.build.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.build.event.BuildListener;
import dev.rig.oci.compress.Compression;
import dev.rig.oci.digest.Digest;
import dev.rig.oci.image.AssembledImage;
import dev.rig.oci.image.BuiltLayer;
import dev.rig.oci.image.Descriptor;
import dev.rig.oci.image.ImageAssembler;
import dev.rig.oci.image.ImageConfig;
import dev.rig.oci.image.ImageManifest;
import dev.rig.oci.layout.PlainImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry podman pulls from: plain layers with the image's own config, nothing else. */
class LoopbackRegistryTest {
  @TempDir Path dir;

  private PlainImage image(byte[] tar) throws IOException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (OutputStream out = Compression.GZIP.compress(gz)) {
      out.write(tar);
    }
    byte[] blob = gz.toByteArray();
    Path file = Files.write(dir.resolve("blob-" + Digest.of(blob).hex()), blob);
    BuiltLayer layer =
        new BuiltLayer(
            Descriptor.of(
                "application/vnd.oci.image.layer.v1.tar+gzip", Digest.of(blob), blob.length),
            Digest.of(tar),
            tar.length,
            "test",
            file);
    AssembledImage assembled =
        ImageAssembler.assemble(
            Optional.empty(),
            List.of(layer),
            ImageConfig.builder(Instant.EPOCH).cmd(List.of("/x")).build());
    return PlainImage.of(assembled);
  }

  @Test
  void servesThePlainManifestConfigAndDecompressedLayers() throws Exception {
    byte[] tar = new byte[3 * 1024 * 1024];
    new Random(1).nextBytes(tar);
    PlainImage plain = image(tar);
    LoadProgress progress = new LoadProgress("t", tar.length, BuildListener.NONE);
    HttpClient http = HttpClient.newHttpClient();
    try (LoopbackRegistry registry = LoopbackRegistry.serve(Map.of("img:1", plain), progress)) {
      String base = "http://" + registry.host() + "/v2/";
      assertEquals(200, get(http, base).statusCode());
      HttpResponse<byte[]> manifest = get(http, base + "img/manifests/1");
      assertArrayEquals(plain.manifestJson(), manifest.body());
      assertEquals(
          plain.manifest().digest().toString(),
          manifest.headers().firstValue("Docker-Content-Digest").orElseThrow());
      ImageManifest parsed = ImageManifest.parse(manifest.body());
      assertEquals("application/vnd.oci.image.layer.v1.tar", parsed.layers().get(0).mediaType());
      assertEquals(Digest.of(tar), parsed.layers().get(0).digest());
      HttpResponse<byte[]> layer = get(http, base + "img/blobs/" + Digest.of(tar));
      assertArrayEquals(tar, layer.body());
      assertEquals(tar.length, progress.count());
      HttpResponse<byte[]> config = get(http, base + "img/blobs/" + parsed.config().digest());
      assertEquals(parsed.config().digest(), Digest.of(config.body()));
      HttpResponse<byte[]> head =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "img/blobs/" + Digest.of(tar)))
                  .method("HEAD", HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(
          String.valueOf(tar.length), head.headers().firstValue("Content-Length").orElseThrow());
      assertEquals(404, get(http, base + "img/blobs/sha256:" + "0".repeat(64)).statusCode());
      assertEquals(404, get(http, base + "other/manifests/1").statusCode());
      assertEquals(List.of(Digest.of(tar)), List.copyOf(registry.layersSent()));
    }
  }

  /**
   * An engine told to skip TLS verification still tries TLS first: the handshake must fail at once
   * (the JDK's HttpServer held it about 10 s), so that the engine falls back to plain HTTP.
   */
  @Test
  void aTlsHandshakeIsRefusedAtOnce() throws Exception {
    PlainImage plain = image("tar".getBytes(StandardCharsets.UTF_8));
    try (LoopbackRegistry registry =
        LoopbackRegistry.serve(
            Map.of("img:1", plain), new LoadProgress("t", 0, BuildListener.NONE))) {
      String[] host = registry.host().split(":");
      long start = System.nanoTime();
      try (SSLSocket socket =
          (SSLSocket)
              SSLContext.getDefault()
                  .getSocketFactory()
                  .createSocket(host[0], Integer.parseInt(host[1]))) {
        socket.setSoTimeout(5000);
        assertThrows(IOException.class, socket::startHandshake);
      }
      assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 2000);
    }
  }

  private static HttpResponse<byte[]> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
