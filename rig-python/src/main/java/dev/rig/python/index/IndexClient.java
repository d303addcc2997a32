package dev.rig.python.index;

import dev.rig.oci.io.AtomicFiles;
import dev.rig.oci.net.NetSettings;
import dev.rig.oci.net.RetryListener;
import dev.rig.python.requirement.ProjectName;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads PEP 503/691 simple indexes: project pages (JSON when the index offers it, else HTML), the
 * core metadata of a wheel (the PEP 658/714 metadata file when offered, else the {@code METADATA}
 * inside the downloaded wheel) and a file's size and hash when the page lacks them. Answers are
 * kept for the life of the client, so one resolution asks for each page and file once.
 */
public final class IndexClient {
  static final String ACCEPT_PAGE =
      "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2,"
          + " text/html;q=0.01";

  private final IndexHttp http;
  private final Optional<Path> wheelCache;
  private final Map<URI, Optional<ProjectPage>> pages = new ConcurrentHashMap<>();
  private final Map<URI, String> metadata = new ConcurrentHashMap<>();
  private final Map<URI, FileFacts> facts = new ConcurrentHashMap<>();

  /** A client that keeps no wheel it downloads. */
  public IndexClient(HttpClient client, NetSettings settings, RetryListener listener) {
    this(client, settings, listener, Optional.empty());
  }

  /**
   * @param wheelCache where a wheel downloaded whole while resolving (an index that offers no
   *     metadata file, or no hash) is kept, as {@link #cachedWheel} names it: the install then
   *     finds it there instead of downloading it a second time, which for a large wheel is most of
   *     the resolve. Empty: such wheels are deleted once read.
   */
  public IndexClient(
      HttpClient client, NetSettings settings, RetryListener listener, Optional<Path> wheelCache) {
    this.http = new IndexHttp(client, settings, listener, Duration.ofMinutes(2));
    this.wheelCache = wheelCache;
  }

  /**
   * Where the wheel cache {@code dir} keeps the wheel with this SHA-256: named by its content, so
   * that an equal file is never kept twice and a kept file is known by name alone.
   */
  public static Path cachedWheel(Path dir, String sha256) {
    return dir.resolve(sha256 + ".whl");
  }

  /**
   * A client with its own HTTP client, the network settings from the environment and no listener.
   */
  public static IndexClient standard() {
    HttpClient client =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(30))
            .build();
    return new IndexClient(client, NetSettings.fromEnvironment(), RetryListener.NONE);
  }

  /** The project's page on {@code index}, or empty when the index does not know the project. */
  public Optional<ProjectPage> project(PackageIndex index, String name) throws IOException {
    URI url = index.url().resolve(ProjectName.normalize(name) + "/");
    Optional<ProjectPage> known = pages.get(url);
    if (known != null) {
      return known;
    }
    Optional<ProjectPage> page = fetchPage(index, name, url);
    pages.put(url, page);
    return page;
  }

  private Optional<ProjectPage> fetchPage(PackageIndex index, String name, URI url)
      throws IOException {
    Optional<IndexHttp.Response> response = http.get(index, url, ACCEPT_PAGE);
    if (response.isEmpty()) {
      return Optional.empty();
    }
    IndexHttp.Response r = response.get();
    byte[] body;
    try (InputStream in = r.body()) {
      body = in.readAllBytes();
    }
    String type = r.contentType().toLowerCase(Locale.ROOT);
    try {
      if (type.startsWith("application/vnd.pypi.simple.v1+json")) {
        return Optional.of(
            new ProjectPage(
                index, ProjectName.normalize(name), r.url(), JsonPage.parse(body, r.url())));
      }
      if (type.startsWith("application/vnd.pypi.simple.v1+html")
          || type.startsWith("text/html")
          || type.isEmpty()) {
        String html = new String(body, StandardCharsets.UTF_8);
        return Optional.of(
            new ProjectPage(
                index, ProjectName.normalize(name), r.url(), HtmlPage.parse(html, r.url())));
      }
    } catch (IndexException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new IndexException(
          IndexHttp.show(r.url())
              + " is not a readable simple-API page ("
              + e.getClass().getSimpleName()
              + ")",
          null);
    }
    throw new IndexException(
        IndexHttp.show(r.url())
            + " answered with content type '"
            + r.contentType()
            + "', not a simple-API page; is the URL a PEP 503 index (it usually ends in /simple/)?");
  }

  /**
   * The core metadata ({@code METADATA}) of the wheel {@code file}: the metadata file beside it
   * when the index offers one (its hash checked when given), else read from the wheel.
   */
  public String metadata(PackageIndex index, IndexFile file) throws IOException {
    String known = metadata.get(file.url());
    if (known != null) {
      return known;
    }
    String text =
        file.metadataOffered() ? metadataFile(index, file) : metadataFromWheel(index, file);
    metadata.put(file.url(), text);
    return text;
  }

  private String metadataFile(PackageIndex index, IndexFile file) throws IOException {
    URI url = URI.create(file.url() + ".metadata");
    Optional<IndexHttp.Response> response = http.get(index, url, "*/*");
    if (response.isEmpty()) {
      // Offered but missing: the wheel itself still has it.
      return metadataFromWheel(index, file);
    }
    byte[] bytes;
    try (InputStream in = response.get().body()) {
      bytes = in.readAllBytes();
    }
    if (file.metadataSha256().isPresent()) {
      String actual = HexFormat.of().formatHex(sha256().digest(bytes));
      if (!actual.equals(file.metadataSha256().get())) {
        throw new IndexException(
            IndexHttp.show(url)
                + " has SHA-256 "
                + actual
                + " but the index page says "
                + file.metadataSha256().get()
                + "; the index is inconsistent or the file was tampered with");
      }
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private String metadataFromWheel(PackageIndex index, IndexFile file) throws IOException {
    Downloaded wheel = downloadWhole(index, file);
    try (ZipFile zip = new ZipFile(wheel.file().toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        String name = entry.getName();
        if (name.matches("[^/]+\\.dist-info/METADATA")) {
          try (InputStream in = zip.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          }
        }
      }
    } catch (ZipException e) {
      throw new IndexException(
          IndexHttp.show(file.url()) + " is not a readable wheel (zip): " + e.getMessage());
    } finally {
      wheel.release();
    }
    throw new IndexException(
        IndexHttp.show(file.url()) + " has no .dist-info/METADATA; it is not a valid wheel");
  }

  /**
   * The size and SHA-256 of {@code file}: from the page when it gives both, else measured by
   * downloading it (once per client).
   */
  public FileFacts facts(PackageIndex index, IndexFile file) throws IOException {
    if (file.sha256().isPresent() && file.size().isPresent()) {
      return new FileFacts(file.size().get(), file.sha256().get());
    }
    FileFacts known = facts.get(file.url());
    if (known != null) {
      return known;
    }
    Downloaded wheel = downloadWhole(index, file);
    wheel.release();
    return wheel.facts();
  }

  /**
   * A wheel downloaded whole and checked against the page's hash.
   *
   * @param temporary whether {@code file} is a temp file to delete after use (no wheel cache)
   */
  private record Downloaded(Path file, FileFacts facts, boolean temporary) {
    void release() throws IOException {
      if (temporary) {
        Files.deleteIfExists(file);
      }
    }
  }

  /**
   * Downloads {@code file} whole (its facts remembered): into the wheel cache under its hash when
   * this client has one (through a temp name there, renamed once the hash is known and checked),
   * else into a temp file.
   */
  private Downloaded downloadWhole(PackageIndex index, IndexFile file) throws IOException {
    Path temp =
        wheelCache.isPresent()
            ? AtomicFiles.newTemp(cachedWheel(wheelCache.get(), "download"))
            : Files.createTempFile("rig-wheel-", ".whl");
    try {
      FileFacts measured = download(index, file, temp);
      facts.put(file.url(), measured);
      if (wheelCache.isEmpty()) {
        Path kept = temp;
        temp = null;
        return new Downloaded(kept, measured, true);
      }
      Path cached = cachedWheel(wheelCache.get(), measured.sha256());
      AtomicFiles.commit(temp, cached);
      temp = null;
      return new Downloaded(cached, measured, false);
    } finally {
      if (temp != null) {
        Files.deleteIfExists(temp);
      }
    }
  }

  private FileFacts download(PackageIndex index, IndexFile file, Path target) throws IOException {
    Optional<IndexHttp.Response> response = http.get(index, file.url(), "*/*");
    if (response.isEmpty()) {
      throw new IndexException(
          IndexHttp.show(file.url())
              + " is listed by the index but answers 404; the index is out of date");
    }
    MessageDigest digest = sha256();
    long size;
    try (InputStream in = response.get().body();
        OutputStream out = new DigestOutputStream(Files.newOutputStream(target), digest)) {
      size = in.transferTo(out);
    }
    String actual = HexFormat.of().formatHex(digest.digest());
    if (file.sha256().isPresent() && !file.sha256().get().equals(actual)) {
      throw new IndexException(
          IndexHttp.show(file.url())
              + " has SHA-256 "
              + actual
              + " but the index page says "
              + file.sha256().get()
              + "; the file was tampered with or the index is inconsistent");
    }
    return new FileFacts(size, actual);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
