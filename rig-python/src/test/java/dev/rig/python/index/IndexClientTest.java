package dev.rig.python.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.oci.net.NetSettings;
import dev.rig.oci.net.RetryListener;
import dev.rig.oci.net.RetryPolicy;
import dev.rig.oci.net.RetryingGet;
import dev.rig.python.install.IndexCredentials;
import dev.rig.python.install.WheelDownload;
import dev.rig.python.install.WheelFetcher;
import dev.rig.python.lock.LockedWheel;
import dev.rig.python.resolve.PythonTarget;
import dev.rig.python.resolve.Resolution;
import dev.rig.python.resolve.WheelResolver;
import dev.rig.testkit.TestWheel;
import dev.rig.testkit.WheelIndex;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index client against a real HTTP index on 127.0.0.1: retries on 503, credentials sent only to
 * the index's own origin and never shown, both page forms, PEP 658 metadata, and a tampered wheel
 * refused.
 */
class IndexClientTest {
  private static final PythonTarget TARGET = PythonTarget.of("3.11.2", "amd64", "2.36");

  private static IndexClient client(List<String> retries) {
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    NetSettings settings =
        NetSettings.defaults()
            .withRetry(new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(50)));
    return new IndexClient(
        http, settings, (what, attempt, delay, reason) -> retries.add(what + ": " + reason));
  }

  private static WheelIndex started() throws Exception {
    WheelIndex index = WheelIndex.start();
    index.add(TestWheel.pure("demo", "1.0").requires("helper>=1"), true);
    index.add(TestWheel.pure("helper", "1.0"), false);
    index.add(TestWheel.pure("helper", "1.2"), false);
    return index;
  }

  @Test
  void anIndexThatAnswers503ThenServesIsRetried() throws Exception {
    try (WheelIndex index = started()) {
      index.failNext("/json/simple/demo/", 2);
      List<String> retries = Collections.synchronizedList(new ArrayList<>());
      Resolution r =
          new WheelResolver(client(retries))
              .resolve(List.of("demo"), TARGET, List.of(PackageIndex.of(index.json())));
      assertEquals(List.of("demo", "helper"), r.wheels().stream().map(LockedWheel::name).toList());
      assertEquals(2, retries.size(), retries.toString());
      assertTrue(retries.get(0).contains("HTTP 503"), retries.get(0));
      long pageRequests =
          index.requests().stream().filter(q -> q.path().equals("/json/simple/demo/")).count();
      assertEquals(3, pageRequests);
    }
  }

  @Test
  void anIndexThatKeepsFailingGivesUpNamingTheUrl() throws Exception {
    try (WheelIndex index = started()) {
      index.failNext("/json/simple/demo/", 100);
      IndexException e =
          assertThrows(
              IndexException.class,
              () -> client(new ArrayList<>()).project(PackageIndex.of(index.json()), "demo"));
      assertTrue(
          e.getMessage().contains("/json/simple/demo/ failed after 4 attempts"), e.getMessage());
      assertTrue(e.getMessage().contains("HTTP 503"), e.getMessage());
    }
  }

  @Test
  void credentialsGoOnlyToTheIndexOriginAndNeverIntoMessagesOrTheLock() throws Exception {
    try (WheelIndex index = started();
        WheelIndex cdn = WheelIndex.start()) {
      cdn.mirrorFilesOf(index);
      index.filesFrom(cdn.base()).requireBasic("alice", "s3cret-token");
      PackageIndex withCredentials =
          PackageIndex.fromUrl(
              "http://alice:s3cret-token@127.0.0.1:" + index.base().getPort() + "/html/simple/");
      assertEquals(Optional.of("alice"), withCredentials.credentials().map(Credentials::username));
      assertFalse(withCredentials.toString().contains("s3cret"), withCredentials.toString());
      assertEquals(null, withCredentials.url().getUserInfo());

      Resolution r =
          new WheelResolver(client(new ArrayList<>()))
              .resolve(List.of("demo"), TARGET, List.of(withCredentials));
      for (LockedWheel w : r.wheels()) {
        assertFalse(w.toString().contains("s3cret"), w.toString());
        assertEquals(cdn.base().getPort(), w.url().getPort(), "files come from the CDN");
      }
      assertFalse(index.requests().isEmpty());
      assertTrue(
          index.requests().stream().allMatch(q -> q.authorization().isPresent()),
          "the index got credentials");
      assertFalse(cdn.requests().isEmpty());
      assertTrue(
          cdn.requests().stream().allMatch(q -> q.authorization().isEmpty()), "the CDN got none");

      PackageIndex wrong =
          PackageIndex.fromUrl(
              "http://alice:wrong-s3cret@127.0.0.1:" + index.base().getPort() + "/html/simple/");
      IndexException e =
          assertThrows(
              IndexException.class, () -> client(new ArrayList<>()).project(wrong, "demo"));
      assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
      assertTrue(e.getMessage().contains("credentials"), e.getMessage());
      assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
      assertFalse(e.getMessage().contains("alice"), e.getMessage());
    }
  }

  @Test
  void bothPageFormsListTheSameFilesAndMetadataComesFromTheMetadataFile() throws Exception {
    try (WheelIndex index = started()) {
      IndexClient client = client(new ArrayList<>());
      ProjectPage json = client.project(PackageIndex.of(index.json()), "Demo").orElseThrow();
      ProjectPage html = client.project(PackageIndex.of(index.html()), "demo").orElseThrow();
      assertEquals(json.files().get(0).url(), html.files().get(0).url());
      assertEquals(json.files().get(0).sha256(), html.files().get(0).sha256());
      assertTrue(json.files().get(0).metadataOffered() && html.files().get(0).metadataOffered());
      assertTrue(json.files().get(0).size().isPresent(), "PEP 700 size in JSON");
      String metadata = client.metadata(PackageIndex.of(index.html()), html.files().get(0));
      assertTrue(metadata.contains("Requires-Dist: helper>=1"), metadata);
      assertTrue(index.requests().stream().anyMatch(q -> q.path().endsWith(".whl.metadata")));
      assertTrue(
          index.requests().stream().noneMatch(q -> q.path().endsWith("demo-1.0-py3-none-any.whl")));
      assertEquals(
          Optional.empty(), client.project(PackageIndex.of(index.json()), "no-such-project"));
    }
  }

  /**
   * A wheel the resolve had to download whole (its index offers no metadata file) is kept in the
   * wheel cache under its hash, where the install's fetcher finds it: one download, not two.
   */
  @Test
  void aWheelDownloadedToReadItsMetadataIsKeptForTheInstall(@TempDir Path dir) throws Exception {
    try (WheelIndex index = started()) {
      Path wheels = dir.resolve("wheels");
      HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
      IndexClient client =
          new IndexClient(http, NetSettings.defaults(), RetryListener.NONE, Optional.of(wheels));
      Resolution r =
          new WheelResolver(client)
              .resolve(List.of("demo"), TARGET, List.of(PackageIndex.of(index.json())));
      LockedWheel helper = r.wheels().get(1);
      assertEquals("helper-1.2-py3-none-any.whl", helper.filename());
      try (Stream<Path> kept = Files.list(wheels)) {
        assertEquals(
            List.of(IndexClient.cachedWheel(wheels, helper.sha256())),
            kept.toList(),
            "only the wheel without a metadata file was downloaded, and no temp file is left");
      }

      List<WheelDownload> downloads = new ArrayList<>();
      for (LockedWheel w : r.wheels()) {
        downloads.add(new WheelDownload(w.filename(), w.url(), w.size(), w.sha256()));
      }
      WheelFetcher.Fetched fetched =
          new WheelFetcher(
                  wheels,
                  new RetryingGet(
                      http, NetSettings.defaults(), Duration.ofSeconds(30), RetryListener.NONE),
                  IndexCredentials.none(),
                  2)
              .fetchAll(downloads);
      assertEquals(1, fetched.fetched(), "demo is fetched, helper was kept by the resolve");
      assertEquals(
          1,
          index.requests().stream()
              .filter(q -> q.path().endsWith("helper-1.2-py3-none-any.whl"))
              .count());
      assertEquals(
          helper.sha256(),
          HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-256")
                      .digest(Files.readAllBytes(fetched.files().get(downloads.get(1))))));
    }
  }

  @Test
  void aTamperedWheelIsRefused() throws Exception {
    try (WheelIndex index = started()) {
      index.tamper("helper-1.2-py3-none-any.whl");
      IndexException e =
          assertThrows(
              IndexException.class,
              () ->
                  new WheelResolver(client(new ArrayList<>()))
                      .resolve(List.of("helper"), TARGET, List.of(PackageIndex.of(index.html()))));
      assertTrue(
          e.getMessage().contains("helper-1.2-py3-none-any.whl has SHA-256"), e.getMessage());
      assertTrue(e.getMessage().contains("tampered"), e.getMessage());
    }
  }

  @Test
  void htmlPagesAreReadWithEntitiesBaseUrlsAndBareYankedAttributes() {
    String html =
        "<html><head><base href=\"https://files.example/pkgs/\"></head><body>"
            + "<a href=\"a-1.0-py3-none-any.whl#sha256=ABCDEF\" data-requires-python=\"&gt;=3.8\""
            + " data-yanked data-core-metadata=\"sha256=0123\">a-1.0-py3-none-any.whl</a>"
            + "<A HREF='a-2.0.tar.gz'>a-2.0.tar.gz</A></body></html>";
    List<IndexFile> files = HtmlPage.parse(html, URI.create("https://index.example/simple/a/"));
    assertEquals(2, files.size());
    IndexFile wheel = files.get(0);
    assertEquals(URI.create("https://files.example/pkgs/a-1.0-py3-none-any.whl"), wheel.url());
    assertEquals(Optional.of("abcdef"), wheel.sha256());
    assertEquals(Optional.of(">=3.8"), wheel.requiresPython());
    assertEquals(Optional.of(""), wheel.yanked());
    assertTrue(wheel.metadataOffered());
    assertEquals(Optional.of("0123"), wheel.metadataSha256());
    assertFalse(files.get(1).isYanked());
  }
}
