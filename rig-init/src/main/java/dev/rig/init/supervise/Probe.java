package dev.rig.init.supervise;

import dev.rig.init.config.ReadinessProbe;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One readiness check: true when the service answers. Never throws; a failure is just "not yet".
 */
@FunctionalInterface
public interface Probe {
  boolean check();

  static Probe of(ReadinessProbe spec) {
    Duration t = spec.attemptTimeout();
    if (spec.tcp() != null) {
      return () -> tcp(spec.tcp().host(), spec.tcp().port(), t);
    }
    if (spec.http() != null) {
      return () -> http(spec.http(), t);
    }
    if (spec.exec() != null) {
      return () -> exec(spec, t);
    }
    Path file = Path.of(spec.file());
    return () -> Files.exists(file);
  }

  private static boolean tcp(String host, int port, Duration timeout) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean http(String url, Duration timeout) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
      c.setConnectTimeout((int) timeout.toMillis());
      c.setReadTimeout((int) timeout.toMillis());
      c.setInstanceFollowRedirects(false);
      int code = c.getResponseCode();
      c.disconnect();
      return code >= 200 && code < 400;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean exec(ReadinessProbe spec, Duration timeout) {
    try {
      ProcessBuilder pb =
          new ProcessBuilder(spec.exec())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD);
      ChildEnvironment.removeConsumedSecrets(pb.environment());
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
