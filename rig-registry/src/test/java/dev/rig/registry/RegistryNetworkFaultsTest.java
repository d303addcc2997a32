package dev.rig.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.oci.digest.Digest;
import dev.rig.oci.net.NetSettings;
import dev.rig.oci.net.RetryPolicy;
import dev.rig.registry.auth.CredentialChain;
import dev.rig.registry.endpoint.BlobFetcher;
import dev.rig.registry.model.ImageReference;
import dev.rig.registry.model.RegistryEvent;
import dev.rig.registry.model.RegistryException;
import dev.rig.registry.model.RegistryListener;
import dev.rig.registry.model.RegistryOptions;
import dev.rig.testkit.FaultServer;
import dev.rig.testkit.FaultServer.Cut;
import dev.rig.testkit.FaultServer.Stall;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpHeaders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blob pulls from a registry that cuts a body, stalls after the headers, or is not there. */
class RegistryNetworkFaultsTest {
  private static final Duration LIMIT = Duration.ofSeconds(10);

  @TempDir Path dir;
  private final byte[] blob = new byte[400_000];
  private Digest digest;
  private String path;
  private FaultServer server;

  @BeforeEach
  void serve() throws IOException {
    new Random(3).nextBytes(blob);
    digest = Digest.of(blob);
    path = "/v2/rig/base/blobs/" + digest;
    server = FaultServer.start().serve("/v2/", "{}".getBytes()).serve(path, blob);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static RegistryClient client(int attempts, RecordingListener events) throws IOException {
    RegistryOptions options =
        RegistryOptions.defaults()
            .withNet(
                new NetSettings(
                    new RetryPolicy(attempts, Duration.ofMillis(10), Duration.ofSeconds(2)),
                    Duration.ofSeconds(1)));
    return new RegistryClient(options, CredentialChain.anonymous(), events);
  }

  private void fetch(RegistryClient client, Path target) throws IOException {
    new BlobFetcher(
            client.pullCaller(ImageReference.parse(server.host() + "/rig/base:1")),
            client.listener())
        .fetch(digest, blob.length, target);
  }

  @Test
  void aBlobCutMidBodyIsResumedWithARangeRequest() throws IOException {
    server.inject(path, new Cut(100_000));
    RecordingListener events = new RecordingListener();
    Path target = dir.resolve("blob");
    fetch(client(3, events), target);
    assertArrayEquals(blob, Files.readAllBytes(target));
    List<FaultServer.Request> gets =
        server.requests().stream().filter(r -> r.path().equals(path)).toList();
    assertEquals(2, gets.size(), gets.toString());
    assertTrue(gets.get(1).range().orElse("").startsWith("bytes="), gets.toString());
    List<RegistryEvent.Retrying> retries = events.of(RegistryEvent.Retrying.class);
    assertEquals(1, retries.size(), retries.toString());
    assertTrue(retries.get(0).reason().contains("closed mid-transfer"), retries.toString());
  }

  @Test
  void aBlobThatStallsAfterTheHeadersFailsWithinTheIdleLimit() {
    server.inject(path, new Stall(10_000));
    long start = System.nanoTime();
    RegistryException e =
        assertTimeoutPreemptively(
            LIMIT,
            () ->
                assertThrows(
                    RegistryException.class,
                    () -> fetch(client(1, new RecordingListener()), dir.resolve("blob"))));
    assertTrue(e.getMessage().contains("sent no data for 1 s"), e.getMessage());
    assertTrue(e.getMessage().contains(server.host()), e.getMessage());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4));
    assertFalse(Files.exists(dir.resolve("blob")));
  }

  /**
   * A small answer (the API check) that stalls after its headers is asked for again, as a blob that
   * stalls is resumed: the fault soak found the API check failing for good on one stall.
   */
  @Test
  void anApiCheckThatStallsIsAskedAgain() throws IOException {
    server.inject("/v2/", new Stall(0));
    RecordingListener events = new RecordingListener();
    Path target = dir.resolve("blob");
    assertTimeoutPreemptively(LIMIT, () -> fetch(client(3, events), target));
    assertArrayEquals(blob, Files.readAllBytes(target));
    List<RegistryEvent.Retrying> retries = events.of(RegistryEvent.Retrying.class);
    assertEquals(1, retries.size(), retries.toString());
    assertTrue(retries.get(0).reason().contains("sent no data"), retries.toString());
  }

  @Test
  void aRefusedConnectionFailsAtOnceInWords() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    RegistryOptions slowRetries =
        RegistryOptions.defaults()
            .withRetry(new RetryPolicy(5, Duration.ofSeconds(2), Duration.ofSeconds(2)));
    RegistryClient client =
        new RegistryClient(slowRetries, CredentialChain.anonymous(), RegistryListener.NONE);
    long start = System.nanoTime();
    RegistryException e =
        assertThrows(
            RegistryException.class,
            () -> client.pullCaller(ImageReference.parse("127.0.0.1:" + closed + "/rig/x:1")));
    assertTrue(
        e.getMessage().contains("connection refused (127.0.0.1:" + closed + ")"), e.getMessage());
    assertFalse(e.getMessage().contains("Exception"), e.getMessage());
    assertFalse(e.getMessage().contains("(none)"), e.getMessage());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "no retry loop");
  }

  @Test
  void retryAfterIsReadAsSecondsOrAnHttpDate() {
    RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofSeconds(30));
    Instant now = Instant.parse("2025-01-01T00:00:00Z");
    String date =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(7).atOffset(ZoneOffset.UTC));
    assertEquals(Duration.ofSeconds(7), policy.retryAfter(headers(date), now).orElseThrow());
    assertEquals(Duration.ofSeconds(4), policy.retryAfter(headers("4"), now).orElseThrow());
    assertEquals(Duration.ofSeconds(30), policy.retryAfter(headers("3600"), now).orElseThrow());
    assertTrue(policy.retryAfter(headers("soon"), now).isEmpty());
  }

  private static HttpHeaders headers(String retryAfter) {
    return HttpHeaders.of(Map.of("Retry-After", List.of(retryAfter)), (a, b) -> true);
  }
}
