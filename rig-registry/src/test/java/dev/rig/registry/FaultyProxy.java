package dev.rig.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy in front of a real registry that fails chosen requests before forwarding them:
 * answers a status (with Retry-After: 0) or drops the connection. Each fault applies to the next
 * request with its method ("*" for any), in order.
 */
final class FaultyProxy implements AutoCloseable {
  /** A status to answer, or {@code DROP} to close the connection without an answer. */
  record Fault(String method, int status) {
    static final int DROP = -1;
  }

  private static final Set<String> HOP_HEADERS =
      Set.of(
          "host",
          "content-length",
          "connection",
          "expect",
          "upgrade",
          "transfer-encoding",
          "date",
          "via",
          "warning",
          "keep-alive");
  private final HttpServer server;
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final URI upstream;
  private final Deque<Fault> faults;
  final AtomicInteger injected = new AtomicInteger();
  final AtomicInteger forwarded = new AtomicInteger();

  private FaultyProxy(URI upstream, List<Fault> faults) throws IOException {
    this.upstream = upstream;
    this.faults = new ArrayDeque<>(faults);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.start();
  }

  static FaultyProxy start(String upstreamHost, List<Fault> faults) throws IOException {
    return new FaultyProxy(URI.create("http://" + upstreamHost), faults);
  }

  String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private Fault nextFault(String method) {
    synchronized (faults) {
      Fault head = faults.peekFirst();
      if (head != null && (head.method().equals("*") || head.method().equals(method))) {
        return faults.pollFirst();
      }
      return null;
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    Fault fault = nextFault(method);
    if (fault != null) {
      injected.incrementAndGet();
      if (fault.status() == Fault.DROP) {
        // An exception out of a handler makes the server close the connection unanswered.
        throw new IOException("fault injection: dropping the connection");
      }
      exchange.getResponseHeaders().add("Retry-After", "0");
      exchange.sendResponseHeaders(fault.status(), -1);
      exchange.close();
      return;
    }
    forwarded.incrementAndGet();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().toString()))
            .method(
                method,
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
      if (!HOP_HEADERS.contains(h.getKey().toLowerCase())) {
        h.getValue().forEach(v -> request.header(h.getKey(), v));
      }
    }
    HttpResponse<byte[]> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    response
        .headers()
        .map()
        .forEach(
            (k, vs) -> {
              if (!HOP_HEADERS.contains(k.toLowerCase()) && !k.startsWith(":")) {
                vs.forEach(v -> exchange.getResponseHeaders().add(k, v));
              }
            });
    byte[] out = response.body();
    boolean noBody = method.equals("HEAD") || out.length == 0;
    exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : out.length);
    if (!noBody) {
      exchange.getResponseBody().write(out);
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
