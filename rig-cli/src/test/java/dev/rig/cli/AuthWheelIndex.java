package dev.rig.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rig.testkit.BinaryTestWheel;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A PEP 503 simple index on 127.0.0.1 serving wheels made in the test: a page per project with each
 * file's SHA-256 in its link, the files under /files/. It can ask for Basic credentials and answer
 * 503 a given number of times per path, and it records every request's path, status and
 * Authorization header.
 */
final class AuthWheelIndex implements AutoCloseable {
  record Request(String path, int status, Optional<String> authorization) {}

  private final HttpServer server;
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Map<String, Map<String, String>> projects = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  private volatile Optional<String> requiredAuthorization = Optional.empty();

  private AuthWheelIndex(HttpServer server) {
    this.server = server;
  }

  static AuthWheelIndex start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AuthWheelIndex index = new AuthWheelIndex(server);
    server.createContext("/", index::handle);
    server.setExecutor(index.pool);
    server.start();
    return index;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/simple";
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** Serves {@code wheel} (replacing a file of the same name) and lists it on its project page. */
  String add(BinaryTestWheel wheel) {
    byte[] bytes = wheel.bytes();
    String sha = BinaryTestWheel.sha256Hex(bytes);
    files.put("/files/" + wheel.fileName(), bytes);
    String project = wheel.fileName().split("-")[0].replace('_', '-');
    projects.computeIfAbsent(project, p -> new TreeMap<>()).put(wheel.fileName(), sha);
    return sha;
  }

  /** Serves other bytes under a file name the page still lists with the old hash. */
  void tamper(String fileName, byte[] bytes) {
    files.put("/files/" + fileName, bytes.clone());
  }

  void failNext(String path, int times) {
    failures.put(path, new AtomicInteger(times));
  }

  void requireBasic(String user, String password) {
    requiredAuthorization =
        Optional.of(
            "Basic "
                + java.util.Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }

  List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    Optional<String> auth =
        Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization"));
    int status;
    byte[] body = new byte[0];
    AtomicInteger fail = failures.get(path);
    if (requiredAuthorization.isPresent() && !requiredAuthorization.equals(auth)) {
      status = 401;
      exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"test\"");
    } else if (fail != null && fail.getAndDecrement() > 0) {
      status = 503;
    } else if (files.containsKey(path)) {
      status = 200;
      body = files.get(path);
    } else if (path.startsWith("/simple/") && projects.containsKey(project(path))) {
      status = 200;
      StringBuilder html = new StringBuilder("<!DOCTYPE html><html><body>\n");
      projects
          .get(project(path))
          .forEach(
              (file, sha) ->
                  html.append("<a href=\"../../files/")
                      .append(file)
                      .append("#sha256=")
                      .append(sha)
                      .append("\">")
                      .append(file)
                      .append("</a><br/>\n"));
      body = html.append("</body></html>\n").toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
    } else {
      status = 404;
    }
    requests.add(new Request(path, status, auth));
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static String project(String path) {
    String rest = path.substring("/simple/".length());
    return rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest;
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
