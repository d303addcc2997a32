package dev.rig.oci.net;

import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Says in words what went wrong with a connection ("connection refused (host:port)", "the
 * connection was closed mid-transfer"), never as a Java class name, and which faults are worth
 * another try: a refused connection means the host is plainly down, so retrying only delays the
 * error.
 */
public final class NetFailure {
  private NetFailure() {}

  /** Whether the server refused the connection (nothing listens): not worth retrying. */
  public static boolean isRefused(Throwable e) {
    return find(e, ConnectException.class).isPresent()
        && find(e, HttpConnectTimeoutException.class).isEmpty();
  }

  /** Whether another try may succeed (a drop, a reset, a stall, a timeout). */
  public static boolean isTransient(Throwable e) {
    return !isRefused(e)
        && find(e, UnknownHostException.class).isEmpty()
        && find(e, SSLException.class).isEmpty()
        // A plain InterruptedIOException is the user stopping rig, not the network.
        && e.getClass() != InterruptedIOException.class;
  }

  /** What happened, in words, for a transfer from {@code uri}. */
  public static String describe(Throwable e, URI uri) {
    return describe(e, hostPort(uri), String.valueOf(uri.getHost()));
  }

  /** What happened, in words, for a transfer from a URL that may not parse as a URI. */
  public static String describe(Throwable e, String url) {
    try {
      return describe(e, URI.create(url));
    } catch (IllegalArgumentException notAUri) {
      return describe(e, url, url);
    }
  }

  private static String describe(Throwable e, String hostPort, String host) {
    Optional<StalledException> stalled = find(e, StalledException.class);
    if (stalled.isPresent()) {
      return stalled.get().getMessage();
    }
    if (find(e, HttpConnectTimeoutException.class).isPresent()) {
      return "connecting to " + hostPort + " timed out";
    }
    if (isRefused(e) || find(e, NoRouteToHostException.class).isPresent()) {
      return "connection refused (" + hostPort + ")";
    }
    if (find(e, UnknownHostException.class).isPresent()) {
      return "unknown host " + host + " (check the name and DNS)";
    }
    if (find(e, HttpTimeoutException.class).isPresent()) {
      return hostPort + " sent no response in time";
    }
    if (find(e, EOFException.class).isPresent()
        || mentions(e, "closed")
        || mentions(e, "reset")
        || mentions(e, "broken pipe")) {
      return "the connection to " + hostPort + " was closed mid-transfer";
    }
    String message = e.getMessage();
    return message == null || message.isBlank()
        ? "the connection to " + hostPort + " failed"
        : message;
  }

  /** {@code host:port}, with the scheme's default port spelled out. */
  public static String hostPort(URI uri) {
    int port = uri.getPort();
    if (port < 0) {
      port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
    String host = uri.getHost() == null ? String.valueOf(uri.getAuthority()) : uri.getHost();
    return host + ":" + port;
  }

  private static boolean mentions(Throwable e, String word) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().toLowerCase().contains(word)) {
        return true;
      }
    }
    return false;
  }

  private static <T extends Throwable> Optional<T> find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return Optional.of(type.cast(t));
      }
    }
    return Optional.empty();
  }
}
