package dev.rig.cli;

import javax.net.ssl.SSLContext;

/**
 * Builds the JDK's default TLS context on a daemon thread. It parses the CA certificates (about 0.1
 * s), which the HTTP client for a registry needs before its first request; begun at start-up, it
 * runs while the command line is parsed and the spec is loaded instead of after them. The JDK keeps
 * the context, so the registry client later gets it ready-made (or waits for it to finish).
 */
final class TlsWarmUp {
  private TlsWarmUp() {}

  static void start() {
    Thread thread =
        new Thread(
            () -> {
              try {
                SSLContext.getDefault();
              } catch (Exception | Error e) {
                // Only a head start: the registry client builds the context itself and reports
                // whatever goes wrong there.
              }
            },
            "rig-tls-warm-up");
    thread.setDaemon(true);
    thread.start();
  }
}
