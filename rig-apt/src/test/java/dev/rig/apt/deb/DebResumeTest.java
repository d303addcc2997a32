package dev.rig.apt.deb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rig.apt.control.PackageRecord;
import dev.rig.apt.repo.HttpFetcher;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resuming .deb downloads against an HTTP server that honours ranges (as Debian mirrors do), cuts
 * connections mid-file on demand, or ignores ranges.
 */
class DebResumeTest {
  @TempDir Path cache;

  private final byte[] deb = new byte[3 << 20];
  private final List<String> ranges = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger cutsLeft = new AtomicInteger();
  private volatile boolean honourRanges = true;
  private HttpServer server;
  private HttpFetcher http;
  private PackageRecord pkg;

  @BeforeEach
  void serve() throws Exception {
    new Random(7).nextBytes(deb);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/pool/main/big_1.0_amd64.deb", this::handle);
    server.start();
    http = HttpFetcher.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"));
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
    server.stop(0);
  }

  /** Serves the file or the asked-for tail; a pending cut sends half of it and drops the line. */
  private void handle(HttpExchange exchange) throws IOException {
    String range = exchange.getRequestHeaders().getFirst("Range");
    ranges.add(range == null ? "-" : range);
    int from = 0;
    if (range != null && honourRanges) {
      from = Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
      exchange
          .getResponseHeaders()
          .add("Content-Range", "bytes " + from + "-" + (deb.length - 1) + "/" + deb.length);
      exchange.sendResponseHeaders(206, deb.length - from);
    } else {
      exchange.sendResponseHeaders(200, deb.length);
    }
    try (OutputStream out = exchange.getResponseBody()) {
      int length = deb.length - from;
      if (cutsLeft.getAndDecrement() > 0) {
        out.write(deb, from, length / 2);
        out.flush();
        // Failing before all promised bytes were sent makes the server drop the connection.
        throw new IOException("cut");
      }
      out.write(deb, from, length);
    }
  }

  private DebDownloader downloader(List<DownloadEvent> events) {
    return new DebDownloader(cache, 1, events::add);
  }

  @Test
  void aConnectionCutMidFileIsResumedWithARangeRequest() throws Exception {
    cutsLeft.set(2);
    List<DownloadEvent> events = Collections.synchronizedList(new ArrayList<>());
    Path file = downloader(events).download(new DebDownloader.Request(pkg, http));

    assertArrayEquals(deb, Files.readAllBytes(file));
    assertEquals(3, ranges.size(), "two cuts, two resumes: " + ranges);
    assertEquals("-", ranges.get(0));
    assertTrue(ranges.get(1).startsWith("bytes="), ranges.toString());
    assertTrue(
        events.stream().filter(DownloadEvent.Resumed.class::isInstance).count() == 2,
        events.toString());
    assertFalse(Files.exists(cache.resolve("debs/" + pkg.sha256() + ".deb.part")));
  }

  @Test
  void aPartLeftByAnInterruptedBuildIsContinuedByTheNext() throws Exception {
    Path debs = Files.createDirectories(cache.resolve("debs"));
    int kept = 1_234_567;
    Files.write(debs.resolve(pkg.sha256() + ".deb.part"), java.util.Arrays.copyOf(deb, kept));

    Path file = downloader(new ArrayList<>()).download(new DebDownloader.Request(pkg, http));

    assertArrayEquals(deb, Files.readAllBytes(file));
    assertEquals(List.of("bytes=" + kept + "-"), ranges, "only the rest was asked for");
  }

  @Test
  void aServerIgnoringRangesSendsTheWholeFileAndTheResultIsStillRight() throws Exception {
    honourRanges = false;
    Path debs = Files.createDirectories(cache.resolve("debs"));
    Files.write(debs.resolve(pkg.sha256() + ".deb.part"), java.util.Arrays.copyOf(deb, 1000));

    Path file = downloader(new ArrayList<>()).download(new DebDownloader.Request(pkg, http));

    assertArrayEquals(deb, Files.readAllBytes(file));
  }

  @Test
  void aCorruptPartFailsTheHashCheckAndIsNotKept() throws Exception {
    Path debs = Files.createDirectories(cache.resolve("debs"));
    byte[] wrong = java.util.Arrays.copyOf(deb, 5000);
    wrong[10] ^= 1;
    Files.write(debs.resolve(pkg.sha256() + ".deb.part"), wrong);

    IOException e =
        assertThrows(
            IOException.class,
            () -> downloader(new ArrayList<>()).download(new DebDownloader.Request(pkg, http)));
    assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    assertFalse(Files.exists(debs.resolve(pkg.sha256() + ".deb.part")), "the bad part is gone");
    // The next build starts from scratch and succeeds.
    Path file = downloader(new ArrayList<>()).download(new DebDownloader.Request(pkg, http));
    assertArrayEquals(deb, Files.readAllBytes(file));
  }
}
