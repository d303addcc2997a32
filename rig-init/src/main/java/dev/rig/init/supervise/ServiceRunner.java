package dev.rig.init.supervise;

import dev.rig.init.config.Durations;
import dev.rig.init.config.RestartSpec;
import dev.rig.init.config.ServiceSpec;
import dev.rig.init.report.Event;
import dev.rig.init.report.OutputSink;
import dev.rig.init.report.Plural;
import dev.rig.init.report.Reporter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Runs one service on its own thread: waits for its dependencies, starts it in a new process group,
 * probes readiness, restarts it with backoff by its policy, and stops it on request with its own
 * stop signal and timeout before SIGKILL to the whole group.
 */
public final class ServiceRunner {
  private final String name;
  private final ServiceSpec spec;
  private final Path configDir;
  private final OutputSink sink;
  private final Reporter reporter;
  private final Runnable onChange;
  private final Consumer<String> onGaveUp;
  private final RotatingLog fileLog; // null unless log.file is set; shared by all restarts

  /** Completes once: true the first time the service is ready, false if it never will be. */
  private final CompletableFuture<Boolean> firstReady = new CompletableFuture<>();

  private final CompletableFuture<Void> stopRequested = new CompletableFuture<>();
  private final Object lock = new Object();
  private Process process; // guarded by lock
  private volatile ServiceStatus status;
  private Thread thread;

  /**
   * @param configDir where {@code configData} is written (the service's XDG_CONFIG_HOME)
   * @param onChange called after every status change (the supervisor rewrites status.json)
   * @param onGaveUp called with the name when the service has failed for good
   * @param logDir where NAME.log is written when the service's {@code log.file} is set
   */
  public ServiceRunner(
      String name,
      ServiceSpec spec,
      Path configDir,
      OutputSink sink,
      Reporter reporter,
      Runnable onChange,
      Consumer<String> onGaveUp,
      Path logDir) {
    this.name = name;
    this.spec = spec;
    this.configDir = configDir;
    this.sink = sink;
    this.reporter = reporter;
    this.onChange = onChange;
    this.onGaveUp = onGaveUp;
    this.fileLog =
        spec.log().file()
            ? new RotatingLog(
                logDir.resolve(name + ".log"),
                spec.log().maxBytes(),
                spec.log().keep(),
                reporter,
                name)
            : null;
    this.status = ServiceStatus.initial(name);
  }

  public String name() {
    return name;
  }

  public ServiceStatus status() {
    return status;
  }

  CompletableFuture<Boolean> firstReady() {
    return firstReady;
  }

  /** Starts the service thread; it first waits until every runner in {@code deps} is ready. */
  public void start(Map<String, ServiceRunner> deps) {
    thread = new Thread(() -> live(deps), "service-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  private void live(Map<String, ServiceRunner> deps) {
    for (ServiceRunner dep : deps.values()) {
      if (!dep.firstReady.isDone()) {
        set(ServiceState.WAITING, null, "waiting for " + dep.name + " to be ready");
      }
      CompletableFuture.anyOf(dep.firstReady, stopRequested).join();
      if (stopRequested.isDone()) {
        finishStopped("stopped before it started");
        return;
      }
      if (!dep.firstReady.join()) {
        giveUp("not started: dependency '" + dep.name + "' is not ready (" + dep.why() + ")");
        return;
      }
    }
    RestartSpec rule = spec.restart();
    int restarts = 0;
    while (true) {
      Process p;
      synchronized (lock) {
        if (stopRequested.isDone()) {
          break;
        }
        try {
          p = launch();
        } catch (IOException e) {
          giveUp("cannot start " + spec.argv().get(0) + ": " + e.getMessage());
          return;
        }
        process = p;
      }
      long startedAt = System.nanoTime();
      set(spec.readiness() == null ? ServiceState.RUNNING : ServiceState.STARTING, p.pid(), null);
      reporter.report(Event.info(name, "started (pid " + p.pid() + ")"));
      Thread pump =
          new LinePump(p.getInputStream(), sink, name, spec.log().prefix(), fileLog).start();
      if (spec.readiness() == null) {
        markReady();
      } else {
        probe(p);
      }
      int code = waitFor(p);
      joinQuietly(pump);
      synchronized (lock) {
        process = null;
      }
      if (Duration.ofNanos(System.nanoTime() - startedAt).compareTo(rule.resetAfter()) >= 0) {
        restarts = 0; // a long healthy run earns a fresh restart budget
      }
      status = status.exited(code, restarts);
      if (stopRequested.isDone()) {
        break;
      }
      if (!rule.policy().restartsAfter(code)) {
        if (code == 0) {
          finishStopped("exited with code 0; restart policy " + rule.policy().text());
        } else {
          giveUp("exited with code " + code + "; restart policy " + rule.policy().text());
        }
        return;
      }
      if (!rule.allows(restarts)) {
        giveUp(
            "exited with code "
                + code
                + "; gave up after "
                + Plural.of(restarts, "restart", "restarts"));
        return;
      }
      restarts++;
      Duration delay = rule.delayBefore(restarts);
      String limit = rule.maxRestarts() == null ? "" : "/" + rule.maxRestarts();
      String why =
          "exited with code "
              + code
              + "; restart "
              + restarts
              + limit
              + " in "
              + Durations.format(delay);
      status = status.exited(code, restarts);
      set(ServiceState.BACKOFF, null, why);
      reporter.report(Event.warn(name, why));
      try {
        stopRequested.get(delay.toMillis(), TimeUnit.MILLISECONDS);
        break; // stop requested during the delay
      } catch (TimeoutException e) {
        // the delay is over: start again
      } catch (InterruptedException | ExecutionException e) {
        break;
      }
    }
    finishStopped("stopped");
  }

  private Process launch() throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(ProcessGroups.inNewGroup(spec.argv())).redirectErrorStream(true);
    ChildEnvironment.removeConsumedSecrets(pb.environment());
    pb.environment().putAll(spec.env()); // a secret the spec gives this service on purpose stays
    if (!spec.configData().isEmpty()) {
      Path dir = ConfigDir.materialise(configDir, spec.configData());
      pb.environment().put("XDG_CONFIG_HOME", dir.toString());
    }
    if (spec.workingDir() != null) {
      pb.directory(Path.of(spec.workingDir()).toFile());
    }
    Process p = pb.start();
    p.getOutputStream().close(); // services read no stdin; EOF instead of a pipe nobody writes
    return p;
  }

  /** Checks readiness until it passes, the process exits, a stop comes, or the timeout runs out. */
  private void probe(Process p) {
    Probe check = Probe.of(spec.readiness());
    long deadline = System.nanoTime() + spec.readiness().timeout().toNanos();
    while (p.isAlive() && !stopRequested.isDone()) {
      if (check.check()) {
        markReady();
        return;
      }
      if (System.nanoTime() > deadline) {
        String why =
            "not ready after "
                + Durations.format(spec.readiness().timeout())
                + "; services that depend on it will not start";
        set(ServiceState.RUNNING, p.pid(), why);
        reporter.report(Event.warn(name, why));
        firstReady.complete(false);
        return;
      }
      try {
        stopRequested.get(spec.readiness().interval().toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // next check
      } catch (InterruptedException | ExecutionException e) {
        return;
      }
    }
  }

  private void markReady() {
    status = status.ready(true);
    set(ServiceState.RUNNING, status.pid(), null);
    if (spec.readiness() != null) {
      reporter.report(Event.info(name, "ready"));
    }
    firstReady.complete(true);
  }

  /**
   * Stops the service: its stop signal to the whole group, then SIGKILL to the group after its stop
   * timeout. Returns when the service thread has finished.
   */
  public void stop() {
    stopRequested.complete(null);
    Process p;
    synchronized (lock) {
      p = process;
    }
    if (p != null && p.isAlive()) {
      set(ServiceState.STOPPING, p.pid(), null);
      reporter.report(
          Event.info(
              name,
              "stopping with SIG"
                  + spec.stopSignal()
                  + " (SIGKILL after "
                  + Durations.format(spec.stopTimeout())
                  + ")"));
      ProcessGroups.signal(p.pid(), spec.stopSignal());
      if (!waitFor(p, spec.stopTimeout())) {
        reporter.report(
            Event.warn(
                name,
                "still running "
                    + Durations.format(spec.stopTimeout())
                    + " after SIG"
                    + spec.stopSignal()
                    + "; sending SIGKILL to its process group"));
        ProcessGroups.signal(p.pid(), "KILL");
        waitFor(p, Duration.ofSeconds(5));
      }
      // Stragglers that ignored the stop signal but whose leader exited go too.
      ProcessGroups.signal(p.pid(), "KILL");
    }
    if (thread != null) {
      joinQuietly(thread);
    } else {
      finishStopped("stopped before it started");
    }
  }

  private String why() {
    String m = status.message();
    return m == null ? status.state() : m;
  }

  private void giveUp(String why) {
    closeLog();
    set(ServiceState.FAILED, null, why);
    reporter.report(Event.error(name, "failed: " + why));
    // An essential failure is known before readiness settles, so rig-init never starts the main
    // program for a container that is about to stop.
    onGaveUp.accept(name);
    firstReady.complete(false);
  }

  private void finishStopped(String why) {
    closeLog();
    set(ServiceState.STOPPED, null, why);
    firstReady.complete(false);
  }

  /** The pump has been joined by now, so no line is lost; a late one would reopen the file. */
  private void closeLog() {
    if (fileLog != null) {
      fileLog.close();
    }
  }

  private void set(ServiceState s, Long pid, String message) {
    status = status.with(s, pid, message);
    onChange.run();
  }

  private static int waitFor(Process p) {
    while (true) {
      try {
        return p.waitFor();
      } catch (InterruptedException e) {
        // only stop() ends a service; keep waiting for the process
      }
    }
  }

  private static boolean waitFor(Process p, Duration d) {
    try {
      return p.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !p.isAlive();
    }
  }

  private static void joinQuietly(Thread t) {
    try {
      t.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The argv list for error messages and tests. */
  public List<String> argv() {
    return spec.argv();
  }
}
