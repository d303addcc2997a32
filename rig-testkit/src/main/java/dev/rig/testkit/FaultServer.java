package dev.rig.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A tiny HTTP server on 127.0.0.1 that serves files (with ranges) and misbehaves on demand: a
 * status (with Retry-After) instead of the file, a body cut mid-way, or headers followed by
 * silence. Faults are queued per path and each one is used by one request.
 */
public final class FaultServer implements AutoCloseable {
  /** What one request gets instead of the plain file. */
  public sealed interface Fault {}

  /** Answers {@code status} with an optional Retry-After value. */
  public record Status(int status, Optional<String> retryAfter) implements Fault {
    public static Status of(int status) {
      return new Status(status, Optional.empty());
    }
  }

  /** Sends the headers and {@code bytes} of the body, then drops the connection. */
  public record Cut(int bytes) implements Fault {}

  /** Sends the headers and {@code bytes} of the body, then sends nothing until the server stops. */
  public record Stall(int bytes) implements Fault {}

  /** One request as seen by the server. */
  public record Request(String method, String path, Optional<String> range, long nanoTime) {}

  private final HttpServer server;
  private final ExecutorService pool;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Map<String, Deque<Fault>> faults = new ConcurrentHashMap<>();
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch stopping = new CountDownLatch(1);

  private FaultServer(HttpServer server, ExecutorService pool) {
    this.server = server;
    this.pool = pool;
  }

  public static FaultServer start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ExecutorService pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fault-server");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(pool);
    FaultServer faulty = new FaultServer(server, pool);
    server.createContext("/", faulty::handle);
    server.start();
    return faulty;
  }

  /** Serves {@code body} at {@code path} (starting with '/'). */
  public FaultServer serve(String path, byte[] body) {
    files.put(path, body.clone());
    return this;
  }

  /** Queues faults for the next requests of {@code path}, in order. */
  public FaultServer inject(String path, Fault... queued) {
    faults.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(List.of(queued));
    return this;
  }

  public URI uri(String path) {
    return URI.create("http://" + host() + path);
  }

  public String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Requests so far, in arrival order. */
  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** Faults not used yet, over all paths. */
  public int faultsLeft() {
    return faults.values().stream().mapToInt(d -> d.size()).sum();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    Optional<String> range = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Range"));
    requests.add(new Request(exchange.getRequestMethod(), path, range, System.nanoTime()));
    try (exchange) {
      Fault fault = next(path);
      if (fault instanceof Status s) {
        s.retryAfter().ifPresent(v -> exchange.getResponseHeaders().add("Retry-After", v));
        exchange.sendResponseHeaders(s.status(), -1);
        return;
      }
      byte[] body = files.get(path);
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      int from = 0;
      if (range.isPresent() && range.get().matches("bytes=\\d+-")) {
        from = Integer.parseInt(range.get().substring(6, range.get().length() - 1));
        if (from >= body.length) {
          exchange.sendResponseHeaders(416, -1);
          return;
        }
        exchange
            .getResponseHeaders()
            .add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
        exchange.sendResponseHeaders(206, body.length - from);
      } else {
        exchange.sendResponseHeaders(200, body.length);
      }
      if (exchange.getRequestMethod().equals("HEAD")) {
        return;
      }
      OutputStream out = exchange.getResponseBody();
      int length = body.length - from;
      if (fault instanceof Cut c) {
        out.write(body, from, Math.min(c.bytes(), length));
        out.flush();
        // Failing before all promised bytes went out makes the server drop the connection.
        throw new IOException("cut on purpose");
      }
      if (fault instanceof Stall s) {
        out.write(body, from, Math.min(s.bytes(), length));
        out.flush();
        stopping.await(60, TimeUnit.SECONDS);
        throw new IOException("stalled on purpose");
      }
      out.write(body, from, length);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Fault next(String path) {
    Deque<Fault> queue = faults.get(path);
    if (queue == null) {
      return null;
    }
    synchronized (queue) {
      return queue.pollFirst();
    }
  }

  @Override
  public void close() {
    stopping.countDown();
    server.stop(0);
    pool.shutdownNow();
  }
}
