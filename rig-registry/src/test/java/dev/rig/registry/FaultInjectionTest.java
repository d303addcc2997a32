package dev.rig.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.oci.image.AssembledImage;
import dev.rig.oci.net.RetryPolicy;
import dev.rig.registry.FaultyProxy.Fault;
import dev.rig.registry.auth.CredentialChain;
import dev.rig.registry.model.ImageReference;
import dev.rig.registry.model.PushResult;
import dev.rig.registry.model.RegistryEvent;
import dev.rig.registry.model.RegistryException;
import dev.rig.registry.model.RegistryListener;
import dev.rig.registry.model.RegistryOptions;
import dev.rig.testkit.LocalRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pushes through a proxy that fails requests: retries get the push through. */
class FaultInjectionTest {
  @TempDir static Path temp;
  private static LocalRegistry registry;
  private static TestImages images;

  @BeforeAll
  static void start() throws IOException {
    // Relative Location headers, so upload URLs point back at the proxy, not past it.
    registry =
        LocalRegistry.start(
            temp.resolve("registry"), LocalRegistry.Setup.plain().withRelativeUrls());
    images = new TestImages(temp.resolve("cache"));
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  private static RegistryOptions fastRetries(int attempts) {
    return RegistryOptions.defaults()
        .withChunking(256 * 1024, 256 * 1024)
        .withParallelUploads(1)
        .withRetry(new RetryPolicy(attempts, Duration.ofMillis(10), Duration.ofSeconds(1)));
  }

  @Test
  void pushSurvivesServerErrorsThrottlingAndADroppedConnection() throws IOException {
    AssembledImage image =
        TestImages.image(
            "faults", List.of(images.layer("f1", 700_000, 31), images.layer("f2", 1000, 32)));
    List<Fault> faults =
        List.of(
            new Fault("*", 503), // the API ping
            new Fault("HEAD", 500),
            new Fault("POST", 429),
            new Fault("PATCH", Fault.DROP),
            new Fault("PATCH", 502),
            new Fault("PATCH", 416), // the session is out of step: the upload starts over
            new Fault("PUT", 503),
            new Fault("PUT", 504),
            new Fault("PUT", 408));
    try (FaultyProxy proxy = FaultyProxy.start(registry.host(), faults)) {
      RecordingListener events = new RecordingListener();
      RegistryClient client =
          new RegistryClient(fastRetries(5), CredentialChain.anonymous(), events);
      PushResult result =
          new ImagePusher(client).push(image, ImageReference.parse(proxy.host() + "/rig/faults:1"));
      assertEquals(image.manifestDescriptor().digest(), result.digest());
      assertEquals(faults.size(), proxy.injected.get(), "every fault was hit");
      List<RegistryEvent.Retrying> retries = events.of(RegistryEvent.Retrying.class);
      assertEquals(faults.size(), retries.size(), retries.toString());
      assertTrue(
          retries.stream().anyMatch(r -> r.reason().contains("closed mid-transfer")),
          retries.toString());
      assertTrue(retries.stream().anyMatch(r -> r.reason().equals("HTTP 429")));
      assertTrue(retries.stream().anyMatch(r -> r.what().startsWith("restart upload")));
    }
    // The real registry behind the proxy holds the complete image.
    String inspect =
        Skopeo.run("inspect", "--tls-verify=false", "docker://" + registry.host() + "/rig/faults:1")
            .ok()
            .stdout();
    assertEquals(
        image.manifestDescriptor().digest().toString(),
        new ObjectMapper().readTree(inspect).path("Digest").asText());
  }

  @Test
  void persistentFailureIsATypedErrorAfterTheLastTry() throws IOException {
    AssembledImage image = TestImages.image("down", List.of(images.layer("d", 1000, 33)));
    List<Fault> faults =
        List.of(
            new Fault("*", 503),
            new Fault("HEAD", 503),
            new Fault("HEAD", 503),
            new Fault("HEAD", 503));
    try (FaultyProxy proxy = FaultyProxy.start(registry.host(), faults)) {
      RegistryClient client =
          new RegistryClient(fastRetries(3), CredentialChain.anonymous(), RegistryListener.NONE);
      RegistryException e =
          assertThrows(
              RegistryException.class,
              () ->
                  new ImagePusher(client)
                      .push(image, ImageReference.parse(proxy.host() + "/rig/down:1")));
      assertEquals(503, e.status());
      assertTrue(e.getMessage().contains("registry " + proxy.host()), e.getMessage());
      assertTrue(e.getMessage().contains("rig/down"), e.getMessage());
      assertTrue(e.getMessage().contains("after 3 tries"), e.getMessage());
      assertTrue(e.getMessage().contains("try again later"), e.getMessage());
    }
  }
}
