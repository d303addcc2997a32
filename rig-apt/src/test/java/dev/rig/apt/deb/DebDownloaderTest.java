package dev.rig.apt.deb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.apt.control.PackageRecord;
import dev.rig.apt.repo.DirectoryFetcher;
import dev.rig.apt.repo.HttpFetcher;
import dev.rig.apt.repo.Keyring;
import dev.rig.apt.repo.RepositoryFetcher;
import dev.rig.apt.repo.SuiteReader;
import dev.rig.testkit.HermeticRepo;
import dev.rig.testkit.Tools;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from the hermetic repository served over real HTTP by python's http.server. */
class DebDownloaderTest {
  @TempDir static Path dir;
  static List<PackageRecord> packages;
  static Process server;
  static RepositoryFetcher http;

  @BeforeAll
  static void serve() throws Exception {
    HermeticRepo repo =
        HermeticRepo.build(
            dir,
            "dl",
            List.of(
                HermeticRepo.Deb.of("alpha", "1.0", "amd64"),
                HermeticRepo.Deb.of("beta", "2.0", "all"),
                HermeticRepo.Deb.of("gamma", "3.0", "amd64")));
    SuiteReader reader =
        new SuiteReader(new DirectoryFetcher(repo.root()), "dl", Keyring.read(repo.keyring()));
    packages = reader.packages(reader.release(), "main", "amd64");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path python = Tools.require("python3", "python3");
    server =
        new ProcessBuilder(
                Path.of("/usr/bin/python3").toFile().exists()
                    ? "/usr/bin/python3"
                    : python.toString(),
                "-m",
                "http.server",
                Integer.toString(port),
                "--bind",
                "127.0.0.1")
            .directory(repo.root().toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("http.log").toFile())
            .start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        break;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("http.server did not start on port " + port);
        }
        Thread.sleep(50);
      }
    }
    http = HttpFetcher.of(URI.create("http://127.0.0.1:" + port + "/"));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (server != null) {
      server.destroy();
      server.waitFor();
    }
  }

  private static List<DebDownloader.Request> requests() {
    return packages.stream().map(p -> new DebDownloader.Request(p, http)).toList();
  }

  @Test
  void downloadsVerifiesAndThenReusesTheCache(@TempDir Path cache) throws IOException {
    List<DownloadEvent> events = Collections.synchronizedList(new ArrayList<>());
    DebDownloader downloader = new DebDownloader(cache, 2, events::add);
    Map<PackageRecord, Path> files = downloader.downloadAll(requests());
    assertEquals(3, files.size());
    for (PackageRecord p : packages) {
      Path f = files.get(p);
      assertEquals(cache.resolve("debs/" + p.sha256() + ".deb"), f);
      assertEquals(p.sha256(), DebUnpacker.sha256(f));
      assertEquals(p.name(), DebArchive.open(f).packageName());
    }
    assertEquals(3, count(events, DownloadEvent.Started.class));
    assertEquals(3, count(events, DownloadEvent.Finished.class));

    events.clear();
    downloader.downloadAll(requests());
    assertEquals(3, count(events, DownloadEvent.Cached.class), events.toString());
    assertEquals(0, count(events, DownloadEvent.Started.class));
  }

  /**
   * Two threads of one build (the image's install and the linking of rig-init's Java) fetching the
   * same .deb into one cache: the second waits for the first instead of failing on the part's file
   * lock (which does not exclude threads of one process), and the file is fetched once.
   */
  @Test
  void twoThreadsFetchingTheSamePackageFetchItOnce(@TempDir Path cache) throws Exception {
    PackageRecord p = packages.get(0);
    java.util.concurrent.CountDownLatch fetching = new java.util.concurrent.CountDownLatch(1);
    RepositoryFetcher slow =
        new RepositoryFetcher() {
          @Override
          public java.util.Optional<byte[]> fetch(String relativePath) throws IOException {
            fetching.countDown();
            try {
              // Long enough for the other thread to reach the same part while this one holds it.
              Thread.sleep(500);
            } catch (InterruptedException e) {
              throw new java.io.InterruptedIOException();
            }
            return http.fetch(relativePath);
          }

          @Override
          public String describe() {
            return http.describe();
          }
        };
    List<DownloadEvent> events = Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.ExecutorService threads =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var first =
          threads.submit(
              () ->
                  new DebDownloader(cache, 1, events::add)
                      .download(new DebDownloader.Request(p, slow)));
      fetching.await();
      var second =
          threads.submit(
              () ->
                  new DebDownloader(cache, 1, events::add)
                      .download(new DebDownloader.Request(p, slow)));
      Path one = first.get();
      Path two = second.get();
      assertEquals(one, two);
      assertEquals(p.sha256(), DebUnpacker.sha256(one));
    } finally {
      threads.shutdownNow();
    }
    assertEquals(1, count(events, DownloadEvent.Started.class), events.toString());
    assertEquals(1, count(events, DownloadEvent.Cached.class), events.toString());
    try (Stream<Path> left = Files.list(cache.resolve("debs"))) {
      assertEquals(
          List.of(p.sha256() + ".deb"), left.map(f -> f.getFileName().toString()).toList());
    }
  }

  @Test
  void truncatedCachedDebIsDeletedAndFetchedAgain(@TempDir Path cache) throws IOException {
    List<DownloadEvent> events = Collections.synchronizedList(new ArrayList<>());
    DebDownloader downloader = new DebDownloader(cache, 1, events::add);
    PackageRecord p = packages.get(0);
    Path f = downloader.download(new DebDownloader.Request(p, http));
    byte[] bytes = Files.readAllBytes(f);
    Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 100));
    events.clear();
    Path again = downloader.download(new DebDownloader.Request(p, http));
    assertEquals(p.sha256(), DebUnpacker.sha256(again));
    assertEquals(
        List.of(
            DownloadEvent.Discarded.class,
            DownloadEvent.Started.class,
            DownloadEvent.Finished.class),
        events.stream().map(Object::getClass).toList());
    assertTrue(((DownloadEvent.Discarded) events.get(0)).reason().startsWith("size "));
  }

  @Test
  void wrongHashOrMissingFileFailsNamingThePackageAndLeavesNoDebris(@TempDir Path cache) {
    PackageRecord p = packages.get(1);
    PackageRecord tampered = withSha(p, "0".repeat(64));
    List<DownloadEvent> events = Collections.synchronizedList(new ArrayList<>());
    DebDownloader downloader = new DebDownloader(cache, 2, events::add);
    IOException e =
        assertThrows(
            IOException.class,
            () -> downloader.downloadAll(List.of(new DebDownloader.Request(tampered, http))));
    assertTrue(e.getMessage().startsWith(p.name() + " " + p.version() + ": "), e.getMessage());
    assertTrue(e.getMessage().contains("does not match " + "0".repeat(64)), e.getMessage());
    assertEquals(1, count(events, DownloadEvent.Failed.class));

    PackageRecord gone = withFilename(p, "pool/main/nothing_here.deb");
    IOException missing =
        assertThrows(
            IOException.class, () -> downloader.download(new DebDownloader.Request(gone, http)));
    assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    try (Stream<Path> s = Files.list(cache.resolve("debs"))) {
      assertEquals(List.of(), s.toList(), "no temp or unverified file is left");
    } catch (IOException io) {
      throw new AssertionError(io);
    }
  }

  static long count(List<DownloadEvent> events, Class<?> type) {
    synchronized (events) {
      return events.stream().filter(type::isInstance).count();
    }
  }

  static PackageRecord withSha(PackageRecord p, String sha) {
    return new PackageRecord(
        p.name(),
        p.version(),
        p.architecture(),
        p.multiArch(),
        p.essential(),
        p.priority(),
        p.source(),
        p.sourceVersion(),
        p.depends(),
        p.preDepends(),
        p.recommends(),
        p.provides(),
        p.conflicts(),
        p.breaks(),
        p.replaces(),
        p.filename(),
        p.size(),
        sha,
        p.installedSizeKib());
  }

  static PackageRecord withFilename(PackageRecord p, String filename) {
    return new PackageRecord(
        p.name(),
        p.version(),
        p.architecture(),
        p.multiArch(),
        p.essential(),
        p.priority(),
        p.source(),
        p.sourceVersion(),
        p.depends(),
        p.preDepends(),
        p.recommends(),
        p.provides(),
        p.conflicts(),
        p.breaks(),
        p.replaces(),
        filename,
        p.size(),
        p.sha256(),
        p.installedSizeKib());
  }
}
