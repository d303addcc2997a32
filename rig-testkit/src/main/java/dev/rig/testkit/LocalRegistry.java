package dev.rig.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real distribution registry (Debian's docker-registry) on a free 127.0.0.1 port, with its own
 * config in a temp directory; stopped by its PID.
 */
public final class LocalRegistry implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path dir;

  private LocalRegistry(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /** Options for the config file. */
  public record Setup(Path htpasswd, Path cert, Path key, boolean relativeUrls, String tokenAuth) {
    public static Setup plain() {
      return new Setup(null, null, null, false, null);
    }

    public Setup withBasicAuth(Path file) {
      return new Setup(file, cert, key, relativeUrls, tokenAuth);
    }

    public Setup withTls(Path certFile, Path keyFile) {
      return new Setup(htpasswd, certFile, keyFile, relativeUrls, tokenAuth);
    }

    public Setup withRelativeUrls() {
      return new Setup(htpasswd, cert, key, true, tokenAuth);
    }

    /** Bearer tokens from {@code realm}, signed by the key of {@code rootCert}. */
    public Setup withTokenAuth(String realm, Path rootCert) {
      return new Setup(
          htpasswd,
          cert,
          key,
          relativeUrls,
          "auth: { token: { realm: \""
              + realm
              + "\", service: rig-test-registry, issuer: rig-test-issuer, rootcertbundle: "
              + rootCert
              + " } }");
    }
  }

  public static LocalRegistry start(Path dir) throws IOException {
    return start(dir, Setup.plain());
  }

  public static LocalRegistry start(Path dir, Setup setup) throws IOException {
    Path program = Tools.require("docker-registry", "docker-registry");
    Files.createDirectories(dir);
    int port = freePort();
    List<String> lines = new ArrayList<>();
    lines.add("version: 0.1");
    lines.add("log: { level: warn }");
    lines.add(
        "storage: { filesystem: { rootdirectory: "
            + dir.resolve("data")
            + " }, delete: { enabled: true } }");
    String http = "http: { addr: 127.0.0.1:" + port + ", secret: test-only";
    if (setup.relativeUrls()) {
      http += ", relativeurls: true";
    }
    if (setup.cert() != null) {
      http += ", tls: { certificate: " + setup.cert() + ", key: " + setup.key() + " }";
    }
    lines.add(http + " }");
    if (setup.htpasswd() != null) {
      lines.add("auth: { htpasswd: { realm: test, path: " + setup.htpasswd() + " } }");
    }
    if (setup.tokenAuth() != null) {
      lines.add(setup.tokenAuth());
    }
    Path config = dir.resolve("config.yml");
    Files.write(config, lines);
    Process process =
        new ProcessBuilder(program.toString(), "serve", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("registry.log").toFile())
            .start();
    LocalRegistry registry = new LocalRegistry(process, port, dir);
    registry.awaitReady(setup.cert() != null);
    return registry;
  }

  private void awaitReady(boolean tls) throws IOException {
    // Readiness only: any HTTP answer (even 400 to plain HTTP on the TLS port) means it listens.
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    URI uri = URI.create("http://127.0.0.1:" + port + "/v2/");
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            "docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
      }
      try {
        client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        sleep();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    close();
    throw new IOException("docker-registry did not answer on port " + port + " within 20 s");
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  /** {@code 127.0.0.1:PORT}. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  public Path dir() {
    return dir;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
