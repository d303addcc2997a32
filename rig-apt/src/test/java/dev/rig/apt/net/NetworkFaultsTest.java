package dev.rig.apt.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.apt.control.PackageRecord;
import dev.rig.apt.deb.DebDownloader;
import dev.rig.apt.repo.HttpFetcher;
import dev.rig.oci.io.LockWait;
import dev.rig.oci.net.NetSettings;
import dev.rig.oci.net.RetryPolicy;
import dev.rig.testkit.FaultServer;
import dev.rig.testkit.FaultServer.Cut;
import dev.rig.testkit.FaultServer.Stall;
import dev.rig.testkit.FaultServer.Status;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * apt index fetches and .deb downloads against a server that fails once (503), cuts a body, stalls
 * after the headers, or is not there at all; and a second rig waiting on another's download lock.
 */
class NetworkFaultsTest {
  private static final String INDEX = "/dists/stable/InRelease";
  private static final String DEB = "/pool/main/big_1.0_amd64.deb";
  private static final Duration LIMIT = Duration.ofSeconds(10);

  @TempDir Path cache;
  private final byte[] index = new byte[200_000];
  private final byte[] deb = new byte[300_000];
  private FaultServer server;
  private PackageRecord pkg;

  /** Fast retries and a one-second idle timeout, so faults show in a second. */
  private static NetSettings fast(int attempts) {
    return new NetSettings(
        new RetryPolicy(attempts, Duration.ofMillis(10), Duration.ofSeconds(5)),
        Duration.ofSeconds(1));
  }

  @BeforeEach
  void serve() throws Exception {
    new Random(1).nextBytes(index);
    new Random(2).nextBytes(deb);
    server = FaultServer.start().serve(INDEX, index).serve(DEB, deb);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(deb));
    pkg =
        PackageRecord.parseIndex(
                "test",
                "Package: big\nVersion: 1.0\nArchitecture: amd64\n"
                    + "Filename: pool/main/big_1.0_amd64.deb\nSize: "
                    + deb.length
                    + "\nSHA256: "
                    + sha
                    + "\n")
            .get(0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpFetcher fetcher(NetSettings settings) {
    return HttpFetcher.of(server.uri("/"), settings);
  }

  private Path download(NetSettings settings) throws IOException {
    return new DebDownloader(
            cache, 1, event -> {}, settings.retry(), new LockWait(Duration.ofSeconds(1)))
        .download(new DebDownloader.Request(pkg, fetcher(settings)));
  }

  @Test
  void anIndexFetchIsRetriedAfterA503() throws IOException {
    server.inject(INDEX, Status.of(503));
    assertArrayEquals(index, fetcher(fast(3)).fetch(INDEX.substring(1)).orElseThrow());
    assertEquals(2, server.requests().size());
  }

  @Test
  void retryAfterInSecondsIsHonoured() throws IOException {
    server.inject(INDEX, new Status(429, Optional.of("1")));
    assertArrayEquals(index, fetcher(fast(3)).fetch(INDEX.substring(1)).orElseThrow());
    List<FaultServer.Request> requests = server.requests();
    long waited = requests.get(1).nanoTime() - requests.get(0).nanoTime();
    assertTrue(
        waited >= TimeUnit.MILLISECONDS.toNanos(900), "waited " + waited / 1_000_000 + " ms");
  }

  @Test
  void anIndexCutMidBodyIsResumedWithARangeRequest() throws IOException {
    server.inject(INDEX, new Cut(50_000));
    assertArrayEquals(index, fetcher(fast(3)).fetch(INDEX.substring(1)).orElseThrow());
    List<FaultServer.Request> requests = server.requests();
    assertEquals(2, requests.size());
    assertTrue(requests.get(1).range().orElse("").startsWith("bytes="), requests.toString());
  }

  @Test
  void anIndexFetchThatStallsAfterTheHeadersFailsWithinTheIdleLimit() {
    server.inject(INDEX, new Stall(1000));
    long start = System.nanoTime();
    IOException e =
        assertTimeoutPreemptively(
            LIMIT,
            () ->
                assertThrows(IOException.class, () -> fetcher(fast(1)).fetch(INDEX.substring(1))));
    assertTrue(e.getMessage().contains("sent no data for 1 s"), e.getMessage());
    assertTrue(e.getMessage().contains(server.uri(INDEX).toString()), e.getMessage());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4));
  }

  @Test
  void aStalledIndexIsResumedWhenAttemptsAreLeft() throws IOException {
    server.inject(INDEX, new Stall(1000));
    byte[] got =
        assertTimeoutPreemptively(
            LIMIT, () -> fetcher(fast(2)).fetch(INDEX.substring(1)).orElseThrow());
    assertArrayEquals(index, got);
  }

  @Test
  void aDebDownloadSurvivesA503() throws IOException {
    server.inject(DEB, Status.of(503));
    assertArrayEquals(deb, Files.readAllBytes(download(fast(3))));
  }

  @Test
  void aDebDownloadThatStallsFailsWithinTheIdleLimitAndKeepsWhatArrived() {
    server.inject(DEB, new Stall(100_000));
    IOException e =
        assertTimeoutPreemptively(
            LIMIT, () -> assertThrows(IOException.class, () -> download(fast(1))));
    assertTrue(e.getMessage().contains("sent no data for 1 s"), e.getMessage());
    assertTrue(e.getMessage().contains("kept for the next run"), e.getMessage());
  }

  @Test
  void aRefusedConnectionFailsAtOnceInWords() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    HttpFetcher fetcher =
        HttpFetcher.of(
            URI.create("http://127.0.0.1:" + closed + "/"),
            new NetSettings(
                new RetryPolicy(5, Duration.ofSeconds(2), Duration.ofSeconds(2)),
                Duration.ofSeconds(1)));
    long start = System.nanoTime();
    IOException e = assertThrows(IOException.class, () -> fetcher.fetch("dists/x/InRelease"));
    assertTrue(
        e.getMessage().contains("connection refused (127.0.0.1:" + closed + ")"), e.getMessage());
    assertFalse(e.getMessage().contains("Exception"), e.getMessage());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "no retry loop");
  }

  @Test
  void aLockHeldByAStuckProcessIsNamedAndGivenUpOn() throws Exception {
    Path part = Files.createDirectories(cache.resolve("debs")).resolve(pkg.sha256() + ".deb.part");
    Files.write(part, new byte[10]);
    Process holder =
        new ProcessBuilder(
                "/usr/bin/python3",
                "-c",
                "import fcntl,sys,time\n"
                    + "f=open(sys.argv[1],'r+')\n"
                    + "fcntl.lockf(f,fcntl.LOCK_EX)\n"
                    + "print('locked',flush=True)\n"
                    + "time.sleep(30)\n",
                part.toString())
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("locked", out.readLine());
      IOException e =
          assertTimeoutPreemptively(
              LIMIT, () -> assertThrows(IOException.class, () -> download(fast(1))));
      assertTrue(e.getMessage().contains("process " + holder.pid()), e.getMessage());
      assertTrue(e.getMessage().contains(LockWait.ENV), e.getMessage());
    } finally {
      holder.destroyForcibly();
      holder.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void theIdleTimeoutComesFromTheEnvironment() {
    assertEquals(
        Duration.ofMillis(1500),
        NetSettings.fromEnvironment(Map.of(NetSettings.IDLE_TIMEOUT_ENV, "1.5")).idleTimeout());
    assertEquals(Duration.ofSeconds(60), NetSettings.fromEnvironment(Map.of()).idleTimeout());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> NetSettings.fromEnvironment(Map.of(NetSettings.IDLE_TIMEOUT_ENV, "soon")));
    assertTrue(e.getMessage().contains(NetSettings.IDLE_TIMEOUT_ENV), e.getMessage());
  }
}
