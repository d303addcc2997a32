package dev.rig.cli;

import dev.rig.build.RegistryAccess;
import dev.rig.build.Rig;
import dev.rig.build.RigSettings;
import dev.rig.build.event.BuildEvent;
import dev.rig.build.event.BuildListener;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What every command that builds works with: its output writers, the {@link Rig} facade set up from
 * the flags, and the progress display its events go to (live on a terminal, lines in a log,
 * warnings only when quiet).
 */
final class CommandSession implements AutoCloseable {
  private final PrintWriter out;
  private final PrintWriter err;
  private final Rig rig;
  private final Optional<LiveProgress> live;
  private final Optional<Deferred> deferred;

  private CommandSession(
      PrintWriter out,
      PrintWriter err,
      Rig rig,
      Optional<LiveProgress> live,
      Optional<Deferred> deferred) {
    this.out = out;
    this.err = err;
    this.rig = rig;
    this.live = live;
    this.deferred = deferred;
  }

  /**
   * Events held back until the command knows whether it goes on in this process: {@link #replay}
   * shows them as they would have been shown, {@link #close} without it drops them.
   */
  private static final class Deferred implements BuildListener {
    private final BuildListener to;
    private final List<BuildEvent> held = new ArrayList<>();

    Deferred(BuildListener to) {
      this.to = to;
    }

    private boolean passing;

    @Override
    public synchronized void on(BuildEvent event) {
      if (passing) {
        to.on(event);
      } else {
        held.add(event);
      }
    }

    synchronized void replay() {
      held.forEach(to::on);
      held.clear();
      passing = true;
    }
  }

  static CommandSession open(
      CommandSpec command, ProjectOptions project, RegistryFlags registry, boolean quiet) {
    return open(command, project, registry.access(), quiet);
  }

  /** With {@code access} saying where the command pushes, if it does. */
  static CommandSession open(
      CommandSpec command, ProjectOptions project, RegistryAccess access, boolean quiet) {
    return open(command, project, access, quiet, false);
  }

  /**
   * With {@code deferred}, its events are held (no live status line either) until {@link #replay}:
   * for a run that may hand the command on to another process and must then have shown nothing.
   */
  static CommandSession open(
      CommandSpec command,
      ProjectOptions project,
      RegistryAccess access,
      boolean quiet,
      boolean deferred) {
    PrintWriter err = command.commandLine().getErr();
    Optional<LiveProgress> live =
        !quiet && !deferred && Terminal.isInteractive()
            ? Optional.of(new LiveProgress(err, LiveProgress.terminalWidth(), project.verbose))
            : Optional.empty();
    BuildListener listener;
    if (live.isPresent()) {
      listener = live.get();
    } else if (quiet) {
      listener = warningsOnly(Progress.to(err));
    } else {
      listener = Progress.to(err, project.verbose);
    }
    Optional<Deferred> held = deferred ? Optional.of(new Deferred(listener)) : Optional.empty();
    RigSettings settings =
        new RigSettings(
            project.cacheDir(),
            project.compression,
            SourceDateEpoch.fromEnvironment(),
            access,
            held.map(BuildListener.class::cast).orElse(listener));
    return new CommandSession(command.commandLine().getOut(), err, Rig.open(settings), live, held);
  }

  /**
   * A session whose progress is always plain lines, never a live status line: for a command whose
   * own output (a VM's serial console) runs on the same terminal.
   */
  static CommandSession openLines(CommandSpec command, ProjectOptions project) {
    PrintWriter err = command.commandLine().getErr();
    BuildListener listener =
        project.quiet ? warningsOnly(Progress.to(err)) : Progress.to(err, project.verbose);
    RigSettings settings =
        new RigSettings(
            project.cacheDir(),
            project.compression,
            SourceDateEpoch.fromEnvironment(),
            RegistryAccess.defaults(),
            listener);
    return new CommandSession(
        command.commandLine().getOut(),
        err,
        Rig.open(settings),
        Optional.empty(),
        Optional.empty());
  }

  /** A quiet run still shows what went wrong on the way (retries, fallbacks). */
  private static BuildListener warningsOnly(BuildListener to) {
    return event -> {
      if (event instanceof BuildEvent.Notice notice && notice.warning()) {
        to.on(event);
      }
    };
  }

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  Rig rig() {
    return rig;
  }

  /** Shows the events a deferred session held back, and every later one as it comes. */
  void replay() {
    deferred.ifPresent(Deferred::replay);
  }

  /** Clears the live status line before the command prints its results. */
  void endProgress() {
    live.ifPresent(LiveProgress::close);
  }

  @Override
  public void close() {
    endProgress();
    rig.close();
  }
}
