package dev.rig.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.oci.image.AssembledImage;
import dev.rig.oci.image.BuiltLayer;
import dev.rig.oci.image.Platform;
import dev.rig.oci.layout.LayoutImage;
import dev.rig.oci.layout.OciLayoutReader;
import dev.rig.registry.auth.CredentialChain;
import dev.rig.registry.model.ImageReference;
import dev.rig.registry.model.PullResult;
import dev.rig.registry.model.PushResult;
import dev.rig.registry.model.RegistryEvent;
import dev.rig.registry.model.RegistryListener;
import dev.rig.registry.model.RegistryNotFoundException;
import dev.rig.registry.model.RegistryOptions;
import dev.rig.testkit.LocalRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pushes rig-built images to a real registry and checks them with skopeo. */
class PushTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path temp;
  private static LocalRegistry registry;
  private static TestImages images;

  @BeforeAll
  static void start() throws IOException {
    registry = LocalRegistry.start(temp.resolve("registry"));
    images = new TestImages(temp.resolve("cache"));
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  private static RegistryClient client(RegistryListener listener, RegistryOptions options)
      throws IOException {
    return new RegistryClient(options, CredentialChain.anonymous(), listener);
  }

  private static RegistryClient client(RegistryListener listener) throws IOException {
    return client(listener, RegistryOptions.defaults());
  }

  private static ImageReference ref(String repoTag) {
    return ImageReference.parse(registry.host() + "/" + repoTag);
  }

  @Test
  void pushMatchesSkopeoAndCopiesBack() throws IOException {
    AssembledImage image =
        TestImages.image(
            "a", List.of(images.layer("base", 2_000_000, 1), images.layer("app", 300_000, 2)));
    RecordingListener events = new RecordingListener();
    long t0 = System.nanoTime();
    PushResult result = new ImagePusher(client(events)).push(image, ref("rig/app:1"));
    long firstMs = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(image.manifestDescriptor().digest(), result.digest());
    assertEquals(3, result.blobsUploaded());
    assertEquals(0, result.blobsSkipped());
    assertTrue(result.bytesUploaded() > 2_300_000);
    assertTrue(registryUsedHttp(events));

    JsonNode inspect =
        JSON.readTree(
            Skopeo.run(
                    "inspect", "--tls-verify=false", "docker://" + registry.host() + "/rig/app:1")
                .ok()
                .stdout());
    assertEquals(result.digest().toString(), inspect.path("Digest").asText());
    String raw =
        Skopeo.run(
                "inspect",
                "--raw",
                "--tls-verify=false",
                "docker://" + registry.host() + "/rig/app:1")
            .ok()
            .stdout();
    assertEquals(
        new String(image.manifestJson(), java.nio.charset.StandardCharsets.UTF_8), raw.strip());

    Path copy = temp.resolve("copy");
    Skopeo.run(
            "copy",
            "--src-tls-verify=false",
            "docker://" + registry.host() + "/rig/app:1",
            "oci:" + copy + ":app")
        .ok();
    LayoutImage copied = OciLayoutReader.open(copy).image("app");
    assertEquals(result.digest(), copied.manifestDescriptor().digest());

    // An unchanged re-push only asks HEAD questions.
    t0 = System.nanoTime();
    PushResult again = new ImagePusher(client(RegistryListener.NONE)).push(image, ref("rig/app:1"));
    long againMs = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(0, again.blobsUploaded());
    assertEquals(3, again.blobsSkipped());
    assertEquals(0, again.bytesUploaded());
    assertEquals(result.digest(), again.digest());
    System.out.printf(
        "[measure] push of a %.1f MB image: %d ms; unchanged re-push: %d ms%n",
        result.bytesUploaded() / 1e6, firstMs, againMs);
  }

  private static boolean registryUsedHttp(RecordingListener events) {
    return events.of(RegistryEvent.Connected.class).stream()
        .anyMatch(c -> c.baseUri().startsWith("http://"));
  }

  @Test
  void sharedLayersAreSentOnceAndMountedAcrossRepositories() throws IOException {
    BuiltLayer shared = images.layer("shared", 500_000, 10);
    AssembledImage a = TestImages.image("a", List.of(shared, images.layer("only-a", 1000, 11)));
    AssembledImage b = TestImages.image("b", List.of(shared, images.layer("only-b", 1000, 12)));
    RegistryClient client = client(RegistryListener.NONE);
    PushResult pa = new ImagePusher(client).push(a, ref("rig/shared:a"));
    assertEquals(3, pa.blobsUploaded());

    PushResult pb = new ImagePusher(client).push(b, ref("rig/shared:b"));
    assertEquals(2, pb.blobsUploaded(), "only b's own layer and config");
    assertEquals(1, pb.blobsSkipped());

    RecordingListener events = new RecordingListener();
    PushResult other =
        new ImagePusher(client(events)).push(a, ref("rig/other:a"), Optional.of("rig/shared"));
    assertEquals(3, other.blobsMounted(), "both layers mounted, and the config");
    assertEquals(0, other.blobsUploaded());
    assertEquals(0, other.bytesUploaded());
    assertEquals(3, events.of(RegistryEvent.BlobMounted.class).size());

    // A mount source without the blob: the registry opens an upload instead (202) and we use it.
    AssembledImage c = TestImages.image("c", List.of(images.layer("only-c", 2000, 13)));
    PushResult pc = new ImagePusher(client).push(c, ref("rig/third:c"), Optional.of("rig/shared"));
    assertEquals(0, pc.blobsMounted());
    assertEquals(2, pc.blobsUploaded());
    assertEquals(
        pc.digest().toString(),
        JSON.readTree(
                Skopeo.run(
                        "inspect",
                        "--tls-verify=false",
                        "docker://" + registry.host() + "/rig/third:c")
                    .ok()
                    .stdout())
            .path("Digest")
            .asText());
  }

  @Test
  void measuresAFewMegabytePushInParallelChunks() throws IOException {
    AssembledImage image =
        TestImages.image(
            "measure",
            List.of(
                images.layer("m1", 8_000_000, 51),
                images.layer("m2", 8_000_000, 52),
                images.layer("m3", 4_000_000, 53)));
    RegistryOptions options = RegistryOptions.defaults().withChunking(4 << 20, 4 << 20);
    long t0 = System.nanoTime();
    PushResult first =
        new ImagePusher(client(RegistryListener.NONE, options)).push(image, ref("rig/measure:1"));
    long firstMs = (System.nanoTime() - t0) / 1_000_000;
    t0 = System.nanoTime();
    PushResult again =
        new ImagePusher(client(RegistryListener.NONE, options)).push(image, ref("rig/measure:1"));
    long againMs = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(4, first.blobsUploaded());
    assertTrue(first.bytesUploaded() > 20_000_000);
    assertEquals(0, again.blobsUploaded());
    System.out.printf(
        "[measure] push of a %.1f MB image (3 parallel, 4 MiB chunks): %d ms; unchanged re-push: %d ms%n",
        first.bytesUploaded() / 1e6, firstMs, againMs);
  }

  @Test
  void largeBlobGoesInChunks() throws IOException {
    AssembledImage image = TestImages.image("big", List.of(images.layer("big", 3_000_000, 20)));
    RecordingListener events = new RecordingListener();
    RegistryOptions options = RegistryOptions.defaults().withChunking(1 << 20, 1 << 20);
    PushResult result = new ImagePusher(client(events, options)).push(image, ref("rig/big:1"));
    assertEquals(2, result.blobsUploaded());
    long layerSize = image.layers().get(0).blob().size();
    List<RegistryEvent.BlobProgress> progress =
        events.of(RegistryEvent.BlobProgress.class).stream()
            .filter(p -> p.digest().equals(image.layers().get(0).blob().digest()))
            .toList();
    assertEquals((layerSize + (1 << 20) - 1) / (1 << 20), progress.size(), "one event per chunk");
    assertEquals(layerSize, progress.get(progress.size() - 1).sent());

    // Pull it back with rig: the layout holds the same image, verified.
    Path layout = temp.resolve("pulled");
    PullResult pulled =
        new ImagePuller(client(RegistryListener.NONE))
            .pull(ref("rig/big:1"), Platform.LINUX_AMD64, layout, "big:1");
    assertEquals(result.digest(), pulled.digest());
    assertEquals(1, pulled.blobsDownloaded());
    LayoutImage read = OciLayoutReader.open(layout).image("big:1");
    assertEquals(image.layers().get(0).blob().digest(), read.layers().get(0).blob().digest());
    assertArrayEquals(
        Files.readAllBytes(image.layers().get(0).source().file().orElseThrow()),
        Files.readAllBytes(read.layers().get(0).source().file().orElseThrow()));

    // Pulling again downloads nothing.
    PullResult again =
        new ImagePuller(client(RegistryListener.NONE))
            .pull(ref("rig/big:1"), Platform.LINUX_AMD64, layout, "big:1");
    assertEquals(0, again.blobsDownloaded());
    assertEquals(1, again.blobsPresent());
  }

  @Test
  void missingTagIsATypedErrorNamingRegistryAndRepository() throws IOException {
    RegistryNotFoundException e =
        assertThrows(
            RegistryNotFoundException.class,
            () ->
                new ImagePuller(client(RegistryListener.NONE))
                    .pull(ref("rig/none:1"), Platform.LINUX_AMD64, temp.resolve("none"), "x"));
    assertTrue(e.getMessage().contains(registry.host()), e.getMessage());
    assertTrue(e.getMessage().contains("rig/none"), e.getMessage());
    assertFalse(Files.exists(temp.resolve("none/index.json")));
  }
}
