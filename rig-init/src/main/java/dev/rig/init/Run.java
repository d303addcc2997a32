package dev.rig.init;

import dev.rig.init.config.RuntimeConfig;
import dev.rig.init.config.ServiceSpec;
import dev.rig.init.config.StartupSettings;
import dev.rig.init.report.Event;
import dev.rig.init.report.OutputSink;
import dev.rig.init.report.Plural;
import dev.rig.init.report.Reporter;
import dev.rig.init.startup.ExtraStartupScript;
import dev.rig.init.startup.HostKeys;
import dev.rig.init.startup.SshdConfig;
import dev.rig.init.startup.Startup;
import dev.rig.init.startup.StepContext;
import dev.rig.init.startup.StepResult;
import dev.rig.init.startup.TailscaleServices;
import dev.rig.init.supervise.MainProgram;
import dev.rig.init.supervise.StatusFile;
import dev.rig.init.supervise.StopSignals;
import dev.rig.init.supervise.Supervisor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code run} command: startup steps, then sshd and tailscaled, then the user's startup script
 * (with its timeout), then the other services; once every service is ready (or has failed) the main
 * command, then either its life or a stop signal, then services stopped in reverse dependency
 * order. A stop signal is honoured at every point, a hanging startup step included.
 *
 * <p>Zombies: Java cannot waitpid(-1), so rig-init cannot reap orphans re-parented to it. Images
 * run it under tini (PID 1, which reaps); when rig-init finds itself PID 1 anyway it says so.
 */
final class Run {
  private static final Path PROC = Path.of("/proc");

  private static final String SELF = "run";

  /** How long a startup step gets to end its program after a stop signal. */
  private static final Duration STEP_STOP_WAIT = Duration.ofSeconds(5);

  private final RuntimeConfig config;
  private final Path root;
  private final Map<String, String> env;
  private final List<String> mainArgv;
  private final OutputSink sink;
  private final Reporter reporter;
  private final long startNanos;

  Run(
      RuntimeConfig config,
      Path root,
      Map<String, String> env,
      List<String> mainArgv,
      OutputSink sink,
      Reporter reporter,
      long startNanos) {
    this.config = config;
    this.root = root;
    this.env = env;
    this.mainArgv = mainArgv;
    this.sink = sink;
    this.reporter = reporter;
    this.startNanos = startNanos;
  }

  int execute() {
    // Handlers first: a SIGTERM during startup must still end in an orderly stop.
    CompletableFuture<String> stop = StopSignals.install();
    StartupSettings settings = config.startup();
    boolean pid1 = ProcessHandle.current().pid() == 1;
    if (pid1) {
      reporter.report(
          Event.warn(
              SELF,
              "rig-init is PID 1: orphaned processes will not be reaped; run it under tini"
                  + " (ENTRYPOINT [\"tini\", \"--\", \"rig-init\"])"));
    }
    StepContext ctx = new StepContext(root, env, settings, sink);
    HostKeys hostKeys = new HostKeys();
    Optional<List<StepResult>> results =
        untilStopped(Startup.standard(hostKeys, config), ctx, stop);
    if (results.isEmpty()) {
      return stoppedDuringStartup(stop, null);
    }
    if (results.get().stream().anyMatch(StepResult::fatal)) {
      reporter.report(Event.error(SELF, "a startup step failed fatally; exiting"));
      return 1;
    }
    // The ways in (sshd, tailscaled) start before the user's startup script, so a script that
    // hangs or fails can be debugged from inside the container.
    Map<String, ServiceSpec> services = new LinkedHashMap<>();
    if (settings.sshd()) {
      sshd(ctx, pid1).ifPresent(spec -> services.put(SshdConfig.SERVICE, spec));
    }
    try {
      services.putAll(TailscaleServices.plan(ctx, config.tailscale(), reporter));
    } catch (IOException e) {
      reporter.report(Event.error("tailscale", "cannot prepare tailscaled: " + e.getMessage()));
    }
    List<String> waysIn = List.copyOf(services.keySet());
    services.putAll(config.services());
    Supervisor supervisor =
        new Supervisor(
            services,
            root.resolve("run/rig/config"),
            sink,
            reporter,
            StatusFile.under(root),
            root.resolve(Supervisor.LOG_DIR.substring(1)));
    supervisor.start(waysIn);
    if (services.containsKey(SshdConfig.SERVICE)) {
      reloadSshdWhenKeysArrive(ctx, hostKeys, supervisor);
    }
    Startup script = new Startup(List.of(new ExtraStartupScript(stop)));
    if (untilStopped(script, ctx, stop).isEmpty()) {
      return stoppedDuringStartup(stop, supervisor);
    }
    supervisor.start();
    // The main program comes last: after every service (sshd included) is ready or has failed,
    // so it can use them and so there is a way in when it misbehaves.
    CompletableFuture<List<String>> notReady = supervisor.firstReadiness();
    CompletableFuture.anyOf(notReady, stop, supervisor.essentialFailure()).join();
    boolean stopping = stop.isDone() || supervisor.essentialFailure().isDone();
    if (!stopping) {
      reportReadiness(services.size(), notReady.join());
    }

    MainProgram main = null;
    CompletableFuture<Integer> mainExit = new CompletableFuture<>();
    if (!stopping && !mainArgv.isEmpty()) {
      // Said before the start: the program writes to rig-init's own stdout at once, and its
      // first lines must not come before the line that announces it.
      reporter.report(Event.info("main", "starting " + mainArgv));
      try {
        main = MainProgram.start(mainArgv);
        main.exit().thenAccept(mainExit::complete);
      } catch (IOException e) {
        reporter.report(Event.error("main", "cannot start " + mainArgv + ": " + e.getMessage()));
        mainExit.complete(127);
      }
    }
    CompletableFuture.anyOf(stop, mainExit, supervisor.essentialFailure()).join();
    int code;
    if (mainExit.isDone() && !stop.isDone()) {
      code = mainExit.join();
      reporter.report(Event.info("main", "exited with code " + code + "; stopping services"));
    } else if (stop.isDone()) {
      code = 0;
      reporter.report(Event.info(SELF, "SIG" + stop.join() + " received; stopping services"));
      if (main != null) {
        main.stop(settings.mainStopTimeout());
      }
    } else {
      code = 1;
      reporter.report(
          Event.error(
              SELF,
              "essential service '"
                  + supervisor.essentialFailure().join()
                  + "' failed; stopping the container"));
      if (main != null) {
        main.stop(settings.mainStopTimeout());
      }
    }
    supervisor.stopAll();
    reporter.report(Event.info(SELF, "all services stopped; exit " + code));
    return code;
  }

  /**
   * Runs {@code steps} on a thread of their own so that a stop signal is honoured while one of them
   * hangs; empty when the signal came first. The steps that run a user's program watch {@code stop}
   * themselves and kill it; they get a moment to do so before rig-init goes on stopping.
   */
  private Optional<List<StepResult>> untilStopped(
      Startup steps, StepContext ctx, CompletableFuture<String> stop) {
    CompletableFuture<List<StepResult>> done = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                done.complete(steps.run(ctx, reporter));
              } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
              }
            },
            "startup");
    t.setDaemon(true);
    t.start();
    CompletableFuture.anyOf(done, stop).join();
    if (!stop.isDone()) {
      return Optional.of(done.join());
    }
    try {
      done.get(STEP_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // a helper still runs; exiting ends the JVM and its pipes regardless
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Optional.empty();
  }

  private int stoppedDuringStartup(CompletableFuture<String> stop, Supervisor supervisor) {
    reporter.report(Event.info(SELF, "SIG" + stop.join() + " received during startup; stopping"));
    if (supervisor != null) {
      supervisor.stopAll();
    }
    reporter.report(Event.info(SELF, "stopped during startup; exit 0"));
    return 0;
  }

  /** The sshd service, or empty when the platform already serves SSH on the port. */
  private Optional<ServiceSpec> sshd(StepContext ctx, boolean pid1) {
    StartupSettings s = ctx.settings();
    // The kernel's table of listening sockets, not a connection: connecting costs the start the
    // socket stack's classes (tens of ms before sshd can start) and the platform's sshd a log line.
    // The host's /proc even under --root: sockets belong to the network namespace, not the tree.
    if (!pid1 && s.skipSshdWhenPortBusy() && Ports.listening(PROC).contains(s.sshPort())) {
      reporter.report(
          Event.info(
              "sshd",
              "port "
                  + s.sshPort()
                  + " already accepts connections (the platform's sshd, e.g. vast.ai);"
                  + " not starting rig's sshd"));
      return Optional.empty();
    }
    try {
      Path file = SshdConfig.write(ctx);
      return Optional.of(SshdConfig.service(s, file));
    } catch (Exception e) {
      reporter.report(Event.error("sshd", "cannot write " + SshdConfig.FILE + ": " + e));
      return Optional.empty();
    }
  }

  /**
   * Once background host keys (RSA) exist: rewrite sshd_config to list them, for sshd's next start
   * (a restart by the supervisor, or the container's). sshd is not reloaded: a SIGHUP makes it
   * re-execute itself, and for that moment it refuses connections, which clients (and markets'
   * health checks) see as "connection refused" right after start. Every client that can speak the
   * key exchange sshd offers has ed25519 host keys anyway.
   */
  private void reloadSshdWhenKeysArrive(StepContext ctx, HostKeys keys, Supervisor supervisor) {
    keys.background()
        .thenAcceptAsync(
            types -> {
              if (types.isEmpty() || !supervisor.awaitReady("sshd")) {
                return;
              }
              try {
                SshdConfig.write(ctx);
              } catch (Exception e) {
                reporter.report(Event.warn("sshd", "cannot rewrite " + SshdConfig.FILE + ": " + e));
                return;
              }
              reporter.report(
                  Event.info(
                      "sshd",
                      String.join(", ", types)
                          + " host key ready; sshd offers it from its next start"));
            });
  }

  /**
   * One line once readiness has settled, before the main program starts; never after stopping
   * began, so the log reads in the order things happened.
   */
  private void reportReadiness(int count, List<String> notReady) {
    long ms = (System.nanoTime() - startNanos) / 1_000_000;
    if (notReady.isEmpty()) {
      String what =
          switch (count) {
            case 0 -> "no services to start;";
            case 1 -> "1 service";
            default -> "all " + count + " services";
          };
      reporter.report(Event.info(SELF, what + " ready " + ms + " ms after start"));
      return;
    }
    reporter.report(
        Event.warn(
            SELF,
            "ready: "
                + (count - notReady.size())
                + " of "
                + Plural.of(count, "service", "services")
                + " after "
                + ms
                + " ms; not ready: "
                + String.join(", ", notReady)
                + (mainArgv.isEmpty() ? "" : "; starting the main program anyway")));
  }
}
