package dev.rig.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Python package index on 127.0.0.1 for tests, in both forms pip and rig read: {@code
 * /html/simple/NAME/} is a PEP 503 HTML page, {@code /json/simple/NAME/} answers PEP 691 JSON to a
 * client that asks for it (HTML otherwise). Files are served under {@code /files/}, with PEP 658
 * metadata files beside those that offer them. It can also demand Basic credentials and answer 503
 * a given number of times before it serves a page.
 */
public final class WheelIndex implements AutoCloseable {
  /** One file on the index and what its page entry says. */
  public record Entry(
      String project,
      String filename,
      byte[] bytes,
      Optional<String> metadata,
      Optional<String> yanked,
      Optional<String> requiresPython) {}

  /** One request as the server saw it. */
  public record Request(String path, Optional<String> accept, Optional<String> authorization) {}

  private final HttpServer server;
  private final ExecutorService pool;
  private final List<Entry> entries = Collections.synchronizedList(new ArrayList<>());
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
  private volatile Optional<String> requiredAuthorization = Optional.empty();

  private WheelIndex(HttpServer server, ExecutorService pool) {
    this.server = server;
    this.pool = pool;
  }

  public static WheelIndex start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ExecutorService pool =
        Executors.newFixedThreadPool(
            8,
            r -> {
              Thread t = new Thread(r, "wheel-index");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(pool);
    WheelIndex index = new WheelIndex(server, pool);
    server.createContext("/", index::handle);
    server.start();
    return index;
  }

  /** Adds a wheel, its metadata file offered (PEP 658) when {@code offerMetadata}. */
  public WheelIndex add(TestWheel wheel, boolean offerMetadata) {
    return add(wheel, offerMetadata, Optional.empty(), Optional.empty());
  }

  public WheelIndex add(
      TestWheel wheel,
      boolean offerMetadata,
      Optional<String> yanked,
      Optional<String> pageRequiresPython) {
    entries.add(
        new Entry(
            normalize(wheel.name()),
            wheel.filename(),
            wheel.bytes(),
            offerMetadata ? Optional.of(wheel.metadata()) : Optional.empty(),
            yanked,
            pageRequiresPython));
    return this;
  }

  /** Adds a source distribution (its bytes do not matter: nobody may build it). */
  public WheelIndex addSdist(String project, String version) {
    String filename = project.replaceAll("[-_.]+", "_") + "-" + version + ".tar.gz";
    entries.add(
        new Entry(
            normalize(project),
            filename,
            ("sdist " + filename).getBytes(StandardCharsets.UTF_8),
            Optional.empty(),
            Optional.empty(),
            Optional.empty()));
    return this;
  }

  /** Pages and files need {@code Authorization: Basic base64(user:password)} from now on. */
  public WheelIndex requireBasic(String user, String password) {
    String token =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    requiredAuthorization = Optional.of("Basic " + token);
    return this;
  }

  /** The next {@code times} requests for {@code path} get 503. */
  public WheelIndex failNext(String path, int times) {
    failures.put(path, new AtomicInteger(times));
    return this;
  }

  public URI html() {
    return base().resolve("/html/simple/");
  }

  public URI json() {
    return base().resolve("/json/simple/");
  }

  public URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      Optional<String> accept =
          Optional.ofNullable(exchange.getRequestHeaders().getFirst("Accept"));
      Optional<String> auth =
          Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization"));
      requests.add(new Request(path, accept, auth));
      AtomicInteger fail = failures.get(path);
      if (fail != null && fail.getAndDecrement() > 0) {
        send(exchange, 503, "text/plain", "try later".getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (requiredAuthorization.isPresent() && !requiredAuthorization.equals(auth)) {
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"test\"");
        send(exchange, 401, "text/plain", "who are you".getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (path.startsWith("/files/")) {
        serveFile(exchange, path.substring("/files/".length()));
        return;
      }
      boolean jsonForm = path.startsWith("/json/simple/");
      boolean htmlForm = path.startsWith("/html/simple/");
      if (!jsonForm && !htmlForm) {
        send(exchange, 404, "text/plain", new byte[0]);
        return;
      }
      String rest = path.substring("/html/simple/".length());
      if (!rest.endsWith("/")) {
        exchange.getResponseHeaders().add("Location", path + "/");
        send(exchange, 301, "text/plain", new byte[0]);
        return;
      }
      String project = rest.substring(0, rest.length() - 1);
      List<Entry> files = filesOf(project);
      if (files.isEmpty()) {
        send(exchange, 404, "text/plain", "no such project".getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (jsonForm && accept.orElse("").contains("application/vnd.pypi.simple.v1+json")) {
        send(exchange, 200, "application/vnd.pypi.simple.v1+json", json(project, files));
      } else {
        send(exchange, 200, "text/html", html(project, files));
      }
    }
  }

  private List<Entry> filesOf(String project) {
    synchronized (entries) {
      return entries.stream().filter(e -> e.project().equals(project)).toList();
    }
  }

  private void serveFile(HttpExchange exchange, String name) throws IOException {
    boolean metadata = name.endsWith(".metadata");
    String filename = metadata ? name.substring(0, name.length() - ".metadata".length()) : name;
    Optional<Entry> entry;
    synchronized (entries) {
      entry = entries.stream().filter(e -> e.filename().equals(filename)).findFirst();
    }
    if (entry.isEmpty() || (metadata && entry.get().metadata().isEmpty())) {
      send(exchange, 404, "text/plain", new byte[0]);
      return;
    }
    byte[] body =
        metadata
            ? entry.get().metadata().get().getBytes(StandardCharsets.UTF_8)
            : entry.get().bytes();
    send(exchange, 200, "application/octet-stream", body);
  }

  private static byte[] html(String project, List<Entry> files) {
    StringBuilder s =
        new StringBuilder(
            "<!DOCTYPE html>\n<html><head><meta name=\"pypi:repository-version\" content=\"1.0\"><title>Links for ");
    s.append(project)
        .append("</title></head><body><h1>Links for ")
        .append(project)
        .append("</h1>\n");
    for (Entry e : files) {
      s.append("<a href=\"/files/")
          .append(e.filename())
          .append("#sha256=")
          .append(sha256(e.bytes()))
          .append('"');
      e.requiresPython()
          .ifPresent(r -> s.append(" data-requires-python=\"").append(escape(r)).append('"'));
      e.yanked().ifPresent(r -> s.append(" data-yanked=\"").append(escape(r)).append('"'));
      e.metadata()
          .ifPresent(
              m ->
                  s.append(" data-dist-info-metadata=\"sha256=")
                      .append(sha256(m.getBytes(StandardCharsets.UTF_8)))
                      .append('"'));
      s.append('>').append(e.filename()).append("</a><br/>\n");
    }
    s.append("</body></html>\n");
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] json(String project, List<Entry> files) {
    List<String> items = new ArrayList<>();
    for (Entry e : files) {
      StringBuilder s = new StringBuilder("{");
      s.append("\"filename\":").append(quote(e.filename()));
      s.append(",\"url\":").append(quote("../../../files/" + e.filename()));
      s.append(",\"hashes\":{\"sha256\":").append(quote(sha256(e.bytes()))).append('}');
      s.append(",\"size\":").append(e.bytes().length);
      e.requiresPython().ifPresent(r -> s.append(",\"requires-python\":").append(quote(r)));
      e.yanked().ifPresent(r -> s.append(",\"yanked\":").append(r.isEmpty() ? "true" : quote(r)));
      if (e.metadata().isPresent()) {
        // PEP 714's name only: pip 23.0 breaks on the older dist-info-metadata key as an object.
        String hash = quote(sha256(e.metadata().get().getBytes(StandardCharsets.UTF_8)));
        s.append(",\"core-metadata\":{\"sha256\":").append(hash).append('}');
      }
      items.add(s.append('}').toString());
    }
    String body =
        "{\"meta\":{\"api-version\":\"1.1\"},\"name\":"
            + quote(project)
            + ",\"files\":["
            + String.join(",", items)
            + "]}";
    return body.getBytes(StandardCharsets.UTF_8);
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static String normalize(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
