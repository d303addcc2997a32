package dev.rig.init.supervise;

import dev.rig.init.config.DependencyOrder;
import dev.rig.init.config.ServiceSpec;
import dev.rig.init.report.Event;
import dev.rig.init.report.OutputSink;
import dev.rig.init.report.Reporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts every service (each waits for its own dependencies, so independent services start in
 * parallel), keeps status.json current, and stops them in reverse dependency order.
 */
public final class Supervisor {
  private final Map<String, ServiceSpec> services;
  private final Map<String, ServiceRunner> runners = new LinkedHashMap<>();
  private final Reporter reporter;
  private final StatusFile statusFile;
  private final CompletableFuture<String> essentialFailed = new CompletableFuture<>();
  private final AtomicBoolean statusWarned = new AtomicBoolean();
  private final Set<String> started = new HashSet<>(); // guarded by this
  private boolean stopping; // guarded by this
  private volatile String state = "starting";

  /**
   * @param configRoot parent of each service's private config directory
   */
  public Supervisor(
      Map<String, ServiceSpec> services,
      Path configRoot,
      OutputSink sink,
      Reporter reporter,
      StatusFile statusFile) {
    this(services, configRoot, sink, reporter, statusFile, Path.of(LOG_DIR));
  }

  /** Where per-service log files go in a container. */
  public static final String LOG_DIR = "/var/log/rig";

  /**
   * @param configRoot parent of each service's private config directory
   * @param logDir where services with {@code log.file} write NAME.log
   */
  public Supervisor(
      Map<String, ServiceSpec> services,
      Path configRoot,
      OutputSink sink,
      Reporter reporter,
      StatusFile statusFile,
      Path logDir) {
    this.services = Map.copyOf(services);
    this.reporter = reporter;
    this.statusFile = statusFile;
    for (String name : DependencyOrder.startOrder(services)) {
      ServiceSpec spec = services.get(name);
      runners.put(
          name,
          new ServiceRunner(
              name,
              spec,
              configRoot.resolve(name),
              sink,
              reporter,
              this::writeStatus,
              failed -> {
                if (spec.essential()) {
                  essentialFailed.complete(failed);
                }
              },
              logDir));
    }
  }

  public void start() {
    start(runners.keySet());
  }

  /**
   * Starts the named services that have not started yet; the rest wait for a later call. Lets sshd
   * come up before the user's startup script, and the user's services after it.
   */
  public synchronized void start(Collection<String> names) {
    for (ServiceRunner r : runners.values()) {
      if (stopping || !names.contains(r.name()) || !started.add(r.name())) {
        continue;
      }
      Map<String, ServiceRunner> deps = new LinkedHashMap<>();
      for (String d : services.get(r.name()).dependsOn()) {
        deps.put(d, runners.get(d));
      }
      r.start(deps);
    }
    state = "running";
    writeStatus();
  }

  /** Completes with a service's name when an essential service has failed for good. */
  public CompletableFuture<String> essentialFailure() {
    return essentialFailed;
  }

  /** Stops services in reverse dependency order, each within its own stop timeout. */
  public void stopAll() {
    synchronized (this) {
      stopping = true; // a service not started yet never will be
    }
    state = "stopping";
    writeStatus();
    for (String name : DependencyOrder.stopOrder(services)) {
      runners.get(name).stop();
    }
    state = "stopped";
    writeStatus();
  }

  public List<ServiceStatus> statuses() {
    List<ServiceStatus> rows = new ArrayList<>();
    for (ServiceRunner r : runners.values()) {
      rows.add(r.status());
    }
    return rows;
  }

  /** The current status of one service. */
  public ServiceStatus status(String name) {
    return runners.get(name).status();
  }

  /**
   * Completes when every started service has become ready or never will (failed, stopped, or past
   * its readiness timeout), with the names of those that are not ready, in start order.
   */
  public CompletableFuture<List<String>> firstReadiness() {
    List<ServiceRunner> all;
    synchronized (this) {
      all = runners.values().stream().filter(r -> started.contains(r.name())).toList();
    }
    CompletableFuture<?>[] each =
        all.stream().map(ServiceRunner::firstReady).toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(each)
        .thenApply(
            v ->
                all.stream().filter(r -> !r.firstReady().join()).map(ServiceRunner::name).toList());
  }

  /** Waits until {@code name} is ready; false when it never will be. For tests and tools. */
  public boolean awaitReady(String name) {
    return runners.get(name).firstReady().join();
  }

  private void writeStatus() {
    try {
      statusFile.write(new StatusFile.Document(ProcessHandle.current().pid(), state, statuses()));
    } catch (IOException e) {
      if (statusWarned.compareAndSet(false, true)) {
        reporter.report(
            Event.warn(
                "status",
                "cannot write " + statusFile.path() + ": " + e + "; status is unavailable"));
      }
    }
  }
}
