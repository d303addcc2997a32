package dev.rig.init.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How to tell that a service is ready for its dependents. Exactly one of {@code tcp}, {@code http}
 * (a GET that must answer 2xx/3xx), {@code exec} (argv that must exit 0) or {@code file} (a path
 * that must exist) is set.
 *
 * @param interval pause between two checks
 * @param timeout how long to wait for readiness in total before the start counts as failed
 * @param attemptTimeout the limit for one check
 */
public record ReadinessProbe(
    TcpCheck tcp,
    String http,
    List<String> exec,
    String file,
    Duration interval,
    Duration timeout,
    Duration attemptTimeout) {

  public ReadinessProbe {
    exec = exec == null ? null : List.copyOf(exec);
    interval = interval == null ? Duration.ofMillis(250) : interval;
    timeout = timeout == null ? Duration.ofSeconds(60) : timeout;
    attemptTimeout = attemptTimeout == null ? Duration.ofSeconds(2) : attemptTimeout;
  }

  /** Problems with this probe, empty when it is well formed. */
  List<String> problems() {
    List<String> kinds = new ArrayList<>();
    if (tcp != null) {
      kinds.add("tcp");
    }
    if (http != null) {
      kinds.add("http");
    }
    if (exec != null) {
      kinds.add("exec");
    }
    if (file != null) {
      kinds.add("file");
    }
    List<String> problems = new ArrayList<>();
    if (kinds.size() != 1) {
      problems.add(
          "readiness must set exactly one of tcp, http, exec, file (found "
              + (kinds.isEmpty() ? "none" : String.join(", ", kinds))
              + ")");
    }
    if (tcp != null && (tcp.port() < 1 || tcp.port() > 65535)) {
      problems.add("readiness.tcp.port " + tcp.port() + " is outside 1..65535");
    }
    if (http != null && !(http.startsWith("http://") || http.startsWith("https://"))) {
      problems.add("readiness.http must be an http:// or https:// URL, got '" + http + "'");
    }
    if (exec != null && exec.isEmpty()) {
      problems.add("readiness.exec must name a program");
    }
    if (interval.isNegative() || interval.isZero()) {
      problems.add("readiness.interval must be positive");
    }
    return problems;
  }
}
