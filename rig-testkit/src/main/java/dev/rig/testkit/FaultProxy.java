package dev.rig.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A reverse proxy on 127.0.0.1 that injects the faults real networks and servers produce, at a set
 * rate, in front of an HTTP server on 127.0.0.1 (the distribution registry, an apt mirror): error
 * statuses with and without Retry-After, connections reset before an answer, bodies cut half-way,
 * and servers that send headers and then stall. Faults that would leave the upstream changed while
 * the client sees a failure (a cut or a stall after a PUT, PATCH or POST was forwarded) are only
 * injected on GET; other requests get an error status before anything is forwarded, as a loaded
 * server answers.
 *
 * <p>Every exchange is one connection ({@code Connection: close} both ways), so a fault never
 * poisons a pooled connection the next request would reuse. Decisions come from a seeded random
 * source, so a soak run can be repeated.
 */
public final class FaultProxy implements AutoCloseable {
  /** What one exchange suffers. */
  public enum Fault {
    NONE,
    STATUS_500,
    STATUS_503,
    STATUS_429,
    STATUS_503_RETRY_AFTER,
    STATUS_429_RETRY_AFTER,
    RESET_BEFORE_ANSWER,
    CUT_MID_BODY,
    STALL_AFTER_HEADERS;

    boolean needsForwardedGet() {
      return this == CUT_MID_BODY || this == STALL_AFTER_HEADERS;
    }
  }

  /**
   * @param rate the share of exchanges that get a fault, 0 to 1
   * @param seed the random source's seed
   * @param stall how long a stalled answer holds the connection before closing it
   */
  public record Settings(double rate, long seed, Duration stall) {
    public Settings {
      if (rate < 0 || rate > 1) {
        throw new IllegalArgumentException("fault rate " + rate + " is not between 0 and 1");
      }
    }
  }

  private static final Fault[] FAULTS = {
    Fault.STATUS_500,
    Fault.STATUS_503,
    Fault.STATUS_429,
    Fault.STATUS_503_RETRY_AFTER,
    Fault.STATUS_429_RETRY_AFTER,
    Fault.RESET_BEFORE_ANSWER,
    Fault.CUT_MID_BODY,
    Fault.STALL_AFTER_HEADERS,
  };

  private final ServerSocket server;
  private final int upstreamPort;
  private final Settings settings;
  private final Random random;
  private final ExecutorService connections;
  private final Map<Fault, AtomicLong> counts = new EnumMap<>(Fault.class);
  private final List<Closeable> open = new ArrayList<>();
  private volatile boolean enabled = true;

  private FaultProxy(ServerSocket server, int upstreamPort, Settings settings) {
    this.server = server;
    this.upstreamPort = upstreamPort;
    this.settings = settings;
    this.random = new Random(settings.seed());
    for (Fault fault : Fault.values()) {
      counts.put(fault, new AtomicLong());
    }
    this.connections =
        Executors.newCachedThreadPool(
            r -> {
              Thread thread = new Thread(r, "fault-proxy");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Starts a proxy on a free 127.0.0.1 port in front of 127.0.0.1:{@code upstreamPort}. */
  public static FaultProxy start(int upstreamPort, Settings settings) throws IOException {
    ServerSocket server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    FaultProxy proxy = new FaultProxy(server, upstreamPort, settings);
    Thread acceptor = new Thread(proxy::accept, "fault-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    return proxy;
  }

  public int port() {
    return server.getLocalPort();
  }

  /** {@code 127.0.0.1:PORT}. */
  public String host() {
    return "127.0.0.1:" + port();
  }

  /** Turns injection on or off (off: a plain proxy, for the clean reference run). */
  public void enable(boolean on) {
    enabled = on;
  }

  /** Exchanges by what they suffered so far ({@link Fault#NONE}: passed through). */
  public Map<Fault, Long> counts() {
    Map<Fault, Long> result = new EnumMap<>(Fault.class);
    counts.forEach((fault, n) -> result.put(fault, n.get()));
    return result;
  }

  /** Faults injected so far, all kinds together. */
  public long faults() {
    return counts().entrySet().stream()
        .filter(e -> e.getKey() != Fault.NONE)
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        connections.execute(() -> serve(client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private Fault choose(String method) {
    if (!enabled) {
      return Fault.NONE;
    }
    synchronized (random) {
      if (random.nextDouble() >= settings.rate()) {
        return Fault.NONE;
      }
      Fault fault = FAULTS[random.nextInt(FAULTS.length)];
      if (fault.needsForwardedGet() && !method.equals("GET")) {
        return Fault.STATUS_503;
      }
      return fault;
    }
  }

  private void serve(Socket client) {
    try (client) {
      client.setSoTimeout((int) Duration.ofMinutes(2).toMillis());
      InputStream in = new BufferedInputStream(client.getInputStream());
      OutputStream out = client.getOutputStream();
      Head request = Head.read(in);
      if (request == null) {
        return;
      }
      String method = request.firstLine().split(" ", 2)[0];
      Fault fault = choose(method);
      counts.get(fault).incrementAndGet();
      switch (fault) {
        case RESET_BEFORE_ANSWER -> {
          client.setSoLinger(true, 0); // a TCP reset, as a crashed server gives
          return;
        }
        case STATUS_500, STATUS_503, STATUS_429, STATUS_503_RETRY_AFTER, STATUS_429_RETRY_AFTER -> {
          discardBody(request, in);
          answer(out, fault);
          return;
        }
        default -> forward(request, in, out, client, fault);
      }
    } catch (IOException e) {
      // The client went away, or the upstream did: the client sees a dropped connection.
    }
  }

  private static void answer(OutputStream out, Fault fault) throws IOException {
    String status =
        switch (fault) {
          case STATUS_500 -> "500 Internal Server Error";
          case STATUS_429, STATUS_429_RETRY_AFTER -> "429 Too Many Requests";
          default -> "503 Service Unavailable";
        };
    boolean retryAfter =
        fault == Fault.STATUS_503_RETRY_AFTER || fault == Fault.STATUS_429_RETRY_AFTER;
    String body = "injected fault\n";
    String head =
        "HTTP/1.1 "
            + status
            + "\r\nContent-Type: text/plain\r\nContent-Length: "
            + body.length()
            + (retryAfter ? "\r\nRetry-After: 1" : "")
            + "\r\nConnection: close\r\n\r\n";
    out.write((head + body).getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private void forward(Head request, InputStream in, OutputStream out, Socket client, Fault fault)
      throws IOException {
    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
    synchronized (open) {
      open.add(upstream);
    }
    try (upstream) {
      upstream.setSoTimeout((int) Duration.ofMinutes(2).toMillis());
      OutputStream up = upstream.getOutputStream();
      up.write(request.withConnectionClose().bytes());
      copyBody(request, in, up);
      up.flush();
      InputStream down = new BufferedInputStream(upstream.getInputStream());
      Head response = Head.read(down);
      if (response == null) {
        return;
      }
      Head relayed = response.withConnectionClose().withLocationHost(upstreamPort, port());
      out.write(relayed.bytes());
      out.flush();
      if (fault == Fault.STALL_AFTER_HEADERS) {
        sleep(settings.stall());
        client.setSoLinger(true, 0);
        return;
      }
      long length = response.contentLength();
      long limit = fault == Fault.CUT_MID_BODY ? Math.max(1, length / 2) : Long.MAX_VALUE;
      if (fault == Fault.CUT_MID_BODY && length <= 0) {
        limit = 1; // an unknown or empty body: cut after the first byte
      }
      byte[] buffer = new byte[64 * 1024];
      long sent = 0;
      for (int n;
          sent < limit
              && (n = down.read(buffer, 0, (int) Math.min(buffer.length, limit - sent))) > 0; ) {
        out.write(buffer, 0, n);
        sent += n;
      }
      out.flush();
      if (fault == Fault.CUT_MID_BODY) {
        client.setSoLinger(true, 0);
      }
    } finally {
      synchronized (open) {
        open.remove(upstream);
      }
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void discardBody(Head request, InputStream in) throws IOException {
    copyBody(request, in, OutputStream.nullOutputStream());
  }

  /** The request body, by Content-Length or chunked framing (relayed as it came). */
  private static void copyBody(Head request, InputStream in, OutputStream to) throws IOException {
    if (request.chunked()) {
      while (true) {
        String sizeLine = readLine(in);
        to.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        long size = Long.parseLong(sizeLine.split(";", 2)[0].strip(), 16);
        if (size == 0) {
          // Trailers, then the empty line.
          for (String line; !(line = readLine(in)).isEmpty(); ) {
            to.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
          }
          to.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
          return;
        }
        copyExactly(in, to, size + 2); // the chunk and its CRLF
      }
    }
    copyExactly(in, to, Math.max(0, request.contentLength()));
  }

  private static void copyExactly(InputStream in, OutputStream to, long count) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long left = count;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new IOException("body ended early");
      }
      to.write(buffer, 0, n);
      left -= n;
    }
  }

  static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b; (b = in.read()) >= 0; ) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int length =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
      if (line.size() > 64 * 1024) {
        throw new IOException("header line too long");
      }
    }
    if (line.size() == 0) {
      return null;
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  /** A request or response head: the first line and the header lines, in order. */
  record Head(String firstLine, List<String> headers) {
    static Head read(InputStream in) throws IOException {
      String first = readLine(in);
      if (first == null || first.isEmpty()) {
        return null;
      }
      List<String> headers = new ArrayList<>();
      for (String line; (line = readLine(in)) != null && !line.isEmpty(); ) {
        headers.add(line);
      }
      return new Head(first, List.copyOf(headers));
    }

    String value(String name) {
      for (String header : headers) {
        int colon = header.indexOf(':');
        if (colon > 0 && header.substring(0, colon).strip().equalsIgnoreCase(name)) {
          return header.substring(colon + 1).strip();
        }
      }
      return null;
    }

    long contentLength() {
      String value = value("Content-Length");
      return value == null ? -1 : Long.parseLong(value);
    }

    boolean chunked() {
      String value = value("Transfer-Encoding");
      return value != null && value.toLowerCase(Locale.ROOT).contains("chunked");
    }

    /** Without hop-by-hop headers (and HTTP/2 upgrade offers), with {@code Connection: close}. */
    Head withConnectionClose() {
      List<String> kept = new ArrayList<>();
      for (String header : headers) {
        String name = header.substring(0, Math.max(0, header.indexOf(':'))).strip();
        if (!List.of("connection", "keep-alive", "upgrade", "http2-settings", "proxy-connection")
            .contains(name.toLowerCase(Locale.ROOT))) {
          kept.add(header);
        }
      }
      kept.add("Connection: close");
      return new Head(firstLine, List.copyOf(kept));
    }

    /** A Location naming the upstream directly is turned to name the proxy. */
    Head withLocationHost(int upstreamPort, int proxyPort) {
      List<String> rewritten = new ArrayList<>();
      for (String header : headers) {
        if (header.toLowerCase(Locale.ROOT).startsWith("location:")) {
          header =
              header
                  .replace("127.0.0.1:" + upstreamPort, "127.0.0.1:" + proxyPort)
                  .replace("localhost:" + upstreamPort, "127.0.0.1:" + proxyPort);
        }
        rewritten.add(header);
      }
      return new Head(firstLine, List.copyOf(rewritten));
    }

    byte[] bytes() {
      StringBuilder text = new StringBuilder(firstLine).append("\r\n");
      for (String header : headers) {
        text.append(header).append("\r\n");
      }
      return text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    connections.shutdownNow();
    synchronized (open) {
      for (Closeable c : open) {
        try {
          c.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }
  }
}
