package dev.rig.build.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A plain HTTP/1.1 server on 127.0.0.1 for GET and HEAD, just enough for an engine's registry
 * client. Not the JDK's HttpServer: an engine told to skip TLS verification still tries TLS first,
 * and that server waits for a request line in the handshake's bytes (about 10 s) before the engine
 * falls back to plain HTTP; this one closes the connection at the handshake's first byte.
 */
final class LoopbackServer implements AutoCloseable {
  /** A TLS record of type handshake starts with this byte; no HTTP method does. */
  private static final int TLS_HANDSHAKE = 0x16;

  private static final int MAX_HEAD_BYTES = 16 * 1024;

  /** What a request asks for. */
  record Request(String method, String path) {
    boolean head() {
      return method.equals("HEAD");
    }
  }

  /** A response: its status, headers and body (absent for HEAD and for errors without one). */
  interface Handler {
    void handle(Request request, Response response) throws IOException;
  }

  /** Where a handler writes its one answer. */
  static final class Response {
    private final OutputStream out;
    private final boolean head;
    private boolean sent;

    private Response(OutputStream out, boolean head) {
      this.out = out;
      this.head = head;
    }

    /**
     * Sends the status line and headers, with {@code Content-Length: length}; returns the stream
     * the body goes to (nothing is sent for HEAD). The body must be exactly {@code length} bytes.
     */
    OutputStream start(int status, long length, Map<String, String> headers) throws IOException {
      StringBuilder text =
          new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status));
      text.append("\r\nContent-Length: ").append(length);
      headers.forEach((k, v) -> text.append("\r\n").append(k).append(": ").append(v));
      text.append("\r\n\r\n");
      out.write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
      sent = true;
      return head ? OutputStream.nullOutputStream() : out;
    }

    void send(int status, String type, byte[] body, Map<String, String> headers)
        throws IOException {
      Map<String, String> all = new LinkedHashMap<>(headers);
      all.put("Content-Type", type);
      start(status, body.length, all).write(body);
    }

    private static String reason(int status) {
      return switch (status) {
        case 200 -> "OK";
        case 400 -> "Bad Request";
        case 404 -> "Not Found";
        case 405 -> "Method Not Allowed";
        default -> "Status";
      };
    }
  }

  private final ServerSocket socket;
  private final ExecutorService threads;
  private final Handler handler;

  private LoopbackServer(ServerSocket socket, ExecutorService threads, Handler handler) {
    this.socket = socket;
    this.threads = threads;
    this.handler = handler;
  }

  /**
   * Starts serving on a port the system picks.
   *
   * @param connections how many connections are served at once (more wait to be accepted)
   */
  static LoopbackServer start(int connections, Handler handler) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    ExecutorService threads =
        Executors.newFixedThreadPool(
            connections + 1,
            runnable -> {
              Thread thread = new Thread(runnable, "rig-loopback-http");
              thread.setDaemon(true);
              return thread;
            });
    LoopbackServer server = new LoopbackServer(socket, threads, handler);
    threads.execute(server::acceptLoop);
    return server;
  }

  /** {@code 127.0.0.1:PORT}. */
  String host() {
    return socket.getInetAddress().getHostAddress() + ":" + socket.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    socket.close();
    threads.shutdownNow();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      Socket connection;
      try {
        connection = socket.accept();
      } catch (IOException closed) {
        return;
      }
      threads.execute(() -> serve(connection));
    }
  }

  /** Answers the requests of one connection, one after the other (keep-alive), until it ends. */
  private void serve(Socket connection) {
    try (connection) {
      connection.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(connection.getInputStream());
      OutputStream out = new BufferedOutputStream(connection.getOutputStream(), 256 * 1024);
      in.mark(1);
      if (in.read() == TLS_HANDSHAKE) {
        return;
      }
      in.reset();
      while (true) {
        Optional<Request> request = readRequest(in);
        if (request.isEmpty()) {
          return;
        }
        Response response = new Response(out, request.get().head());
        handler.handle(request.get(), response);
        if (!response.sent) {
          return;
        }
        out.flush();
      }
    } catch (IOException e) {
      // The client went away, or a handler failed mid-body: closing is the answer.
    }
  }

  /** The request line and headers (skipped: nothing here needs them); empty at end of stream. */
  private static Optional<Request> readRequest(InputStream in) throws IOException {
    String requestLine = readLine(in);
    if (requestLine == null) {
      return Optional.empty();
    }
    int read = requestLine.length();
    for (String header = readLine(in); ; header = readLine(in)) {
      if (header == null) {
        return Optional.empty();
      }
      read += header.length();
      if (read > MAX_HEAD_BYTES) {
        throw new IOException("request head too long");
      }
      if (header.isEmpty()) {
        break;
      }
    }
    String[] parts = requestLine.split(" ");
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1 request: " + requestLine);
    }
    String path = parts[1];
    int query = path.indexOf('?');
    return Optional.of(new Request(parts[0], query < 0 ? path : path.substring(0, query)));
  }

  /** A line without its CRLF, or null at the end of the stream. */
  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) {
        return line.length() == 0 ? null : line.toString();
      }
      if (b == '\n') {
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r'
            ? line.substring(0, end - 1)
            : line.toString();
      }
      if (line.length() > MAX_HEAD_BYTES) {
        throw new IOException("request line too long");
      }
      line.append((char) b);
    }
  }
}
