package dev.rig.build.vm.run;

import dev.rig.build.event.BuildEvent;
import dev.rig.build.event.BuildListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Boots one VM build: chooses the hypervisor ({@link HypervisorChoice}), runs the passthrough
 * preflight when GPUs are asked for, builds the command, then runs it with the serial console on
 * the caller's stream. SIGTERM or SIGINT to this process asks the guest to power off, and ends the
 * VM when the guest has not within the stop timeout.
 */
public final class VmLauncher {
  private final Executables path;
  private final KvmProbe kvm;
  private final HostRoots host;
  private final BuildListener listener;

  public VmLauncher(Executables path, KvmProbe kvm, HostRoots host, BuildListener listener) {
    this.path = path;
    this.kvm = kvm;
    this.host = host;
    this.listener = listener;
  }

  /** Decides the run; {@code runDir} holds its control socket and any config it writes. */
  public LaunchPlan plan(VmArtifacts vm, LaunchOptions options, Path runDir) throws IOException {
    String image = vm.descriptor().image();
    List<PreflightCheck> checks = List.of();
    if (!options.gpus().isEmpty()) {
      checks =
          new VfioPreflight(host).run(options.gpus(), vm.descriptor().memoryMiB(), options.bind());
      for (PreflightCheck check : checks) {
        listener.on(
            new BuildEvent.VmPreflightChecked(
                image, check.subject(), check.passed(), check.detail(), check.fix()));
      }
    }
    HypervisorChoice choice = HypervisorChoice.choose(path, !options.gpus().isEmpty(), kvm::probe);
    listener.on(
        new BuildEvent.VmHypervisorChosen(
            image, choice.hypervisor().label(), choice.kvm(), choice.reasons()));
    int sshPort = options.sshPort().isPresent() ? options.sshPort().getAsInt() : freeLoopbackPort();
    // The settings may hold ROOT_PASSWORD: the disk is the run's, 0600 in its private folder, and
    // is removed with it when the run ends.
    Path configDisk = ConfigDisk.write(runDir.resolve(ConfigDisk.FILE_NAME), options.guest());
    LaunchSettings settings =
        new LaunchSettings(
            sshPort,
            runDir.resolve("control.sock"),
            options.tapDevice(),
            configDisk,
            options.gpus());
    List<String> argv =
        switch (choice.hypervisor()) {
          case QEMU -> QemuCommand.argv(choice.executable(), choice.kvm(), vm, settings);
          case CLOUD_HYPERVISOR -> CloudHypervisorCommand.argv(choice.executable(), vm, settings);
          case FIRECRACKER -> {
            Path config = runDir.resolve(LaunchFiles.FIRECRACKER);
            Files.writeString(config, FirecrackerConfig.text(vm, settings), StandardCharsets.UTF_8);
            yield FirecrackerConfig.argv(choice.executable(), config, settings);
          }
        };
    return new LaunchPlan(vm, choice, settings, argv, checks);
  }

  /**
   * Runs {@code plan} until the VM ends, the serial console copied to {@code console}; returns the
   * hypervisor's exit code.
   */
  public int run(LaunchPlan plan, OutputStream console, Duration stopTimeout)
      throws IOException, InterruptedException {
    String image = plan.vm().descriptor().image();
    List<String> argv = new ArrayList<>();
    // In a session of its own, Ctrl-C in the terminal reaches only rig, which powers the guest
    // off; the hypervisor would otherwise die on the same SIGINT with the guest's disk unsynced.
    path.find("setsid").ifPresent(setsid -> argv.add(setsid.toString()));
    argv.addAll(plan.argv());
    Process process =
        new ProcessBuilder(argv)
            .directory(plan.vm().dir().toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    process.getOutputStream().close();
    Thread pump = copy(process.getInputStream(), console);
    ControlSocket control =
        new ControlSocket(plan.choice().hypervisor(), plan.settings().controlSocket());
    AtomicBoolean stopping = new AtomicBoolean();
    Thread stopper =
        new Thread(
            () -> {
              if (process.isAlive() && stopping.compareAndSet(false, true)) {
                stop(image, process, control, stopTimeout);
                try {
                  pump.join(1000);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                // The JVM halts when the hooks end, before the caller's cleanup would run.
                removeRunFiles(plan.settings());
              }
            },
            "rig-vm-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    listener.on(
        new BuildEvent.Notice(
            image,
            plan.choice().hypervisor().label()
                + " started (pid "
                + process.pid()
                + ")"
                + (plan.forwardsSsh()
                    ? "; SSH: ssh -p " + plan.settings().sshPort() + " root@127.0.0.1"
                    : "; network: TAP device " + plan.settings().tapDevice()),
            false));
    int code = process.waitFor();
    pump.join(1000);
    if (!stopping.get()) {
      try {
        Runtime.getRuntime().removeShutdownHook(stopper);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down: the hook runs and finds the VM gone
      }
    }
    listener.on(new BuildEvent.Notice(image, "the VM ended (exit code " + code + ")", false));
    return code;
  }

  /** Power button first; when the guest has not gone in time, quit, and last the process. */
  private void stop(String image, Process process, ControlSocket control, Duration timeout) {
    listener.on(new BuildEvent.Notice(image, "asking the guest to power off", false));
    try {
      control.powerOff();
      if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return;
      }
      listener.on(
          new BuildEvent.Notice(
              image,
              "the guest did not power off within " + timeout.toSeconds() + " s; ending the VM",
              true));
      control.kill();
      if (process.waitFor(2, TimeUnit.SECONDS)) {
        return;
      }
    } catch (IOException e) {
      listener.on(
          new BuildEvent.Notice(
              image, "stopping through the control socket failed: " + e.getMessage(), true));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroyForcibly();
    try {
      process.waitFor(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The control socket, the config disk, a Firecracker config beside them and their folder, if
   * nothing else is in it.
   */
  private static void removeRunFiles(LaunchSettings settings) {
    Path socket = settings.controlSocket();
    try {
      Files.deleteIfExists(settings.configDisk());
      Files.deleteIfExists(socket);
      Files.deleteIfExists(socket.resolveSibling(LaunchFiles.FIRECRACKER));
      Files.deleteIfExists(socket.getParent());
    } catch (IOException e) {
      // a folder someone else wrote into is left alone; it is in the temp directory
    }
  }

  private static Thread copy(InputStream in, OutputStream out) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[4096];
              try (in) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // the VM ended or the console went away: nothing more to show
              }
            },
            "rig-vm-console");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** A port no one listens on now, on loopback (the forward binds there only). */
  static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
