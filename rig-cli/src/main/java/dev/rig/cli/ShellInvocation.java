package dev.rig.cli;

import dev.rig.build.load.ContainerRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code run} command line for {@code rig shell}: the current directory at /workspace, GPUs
 * passed the way the engine expects them (docker: {@code --gpus all}; podman: the CDI device {@code
 * nvidia.com/gpu=all}), a terminal when there is one. A value: computing it runs nothing.
 *
 * @param gpuNote a line saying why no GPU is passed, when none is
 */
record ShellInvocation(List<String> argv, Optional<String> gpuNote) {
  enum Gpus {
    auto,
    all,
    none
  }

  /** What the host offers: NVIDIA device nodes and CDI specs. */
  record Host(boolean nvidiaDevices, boolean nvidiaCdiSpec) {
    static Host probe() {
      boolean devices = Files.exists(Path.of("/dev/nvidiactl"));
      boolean cdi = false;
      for (String dir : List.of("/etc/cdi", "/var/run/cdi")) {
        try (var files = Files.list(Path.of(dir))) {
          cdi |= files.anyMatch(f -> f.getFileName().toString().startsWith("nvidia"));
        } catch (java.io.IOException e) {
          // No such directory: no CDI spec there.
        }
      }
      return new Host(devices, cdi);
    }
  }

  static ShellInvocation of(
      ContainerRuntime runtime,
      String image,
      Path workspace,
      boolean terminal,
      Gpus gpus,
      Host host,
      List<String> command) {
    List<String> argv = new ArrayList<>();
    argv.add(runtime.executable().toString());
    argv.add("run");
    argv.add("--rm");
    argv.add(terminal ? "-it" : "-i");
    Optional<String> note = Optional.empty();
    boolean pass =
        switch (gpus) {
          case all -> true;
          case none -> false;
          case auto -> host.nvidiaDevices();
        };
    if (pass) {
      if (runtime.kind() == ContainerRuntime.Kind.docker) {
        argv.add("--gpus");
        argv.add("all");
      } else {
        argv.add("--device");
        argv.add("nvidia.com/gpu=all");
        if (!host.nvidiaCdiSpec()) {
          note =
              Optional.of(
                  "podman finds GPUs through a CDI spec and none is in /etc/cdi or /var/run/cdi;"
                      + " make one with `sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml`");
        }
      }
    } else if (gpus == Gpus.auto) {
      note =
          Optional.of(
              "no NVIDIA GPU on this machine (/dev/nvidiactl is missing): running without one");
    }
    argv.add("-v");
    argv.add(workspace.toAbsolutePath() + ":/workspace");
    argv.add("-w");
    argv.add("/workspace");
    argv.add(image);
    argv.addAll(command);
    return new ShellInvocation(List.copyOf(argv), note);
  }

  /** The command as a user would type it, arguments quoted where the shell needs it. */
  String display() {
    List<String> words = new ArrayList<>();
    for (String arg : argv) {
      words.add(
          arg.matches("[A-Za-z0-9_@%+=:,./-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
    }
    return String.join(" ", words);
  }
}
