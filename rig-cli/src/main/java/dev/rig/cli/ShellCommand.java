package dev.rig.cli;

import dev.rig.build.Rig;
import dev.rig.build.load.ContainerRuntime;
import dev.rig.build.result.BuiltImage;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rig shell}: loads an image and runs it interactively with the current directory. */
@Command(
    name = "shell",
    mixinStandardHelpOptions = true,
    description =
        "Loads NAME into podman or docker and runs it with GPUs and the current directory at"
            + " /workspace; prints the command it runs. Arguments after NAME (or after --) replace"
            + " the image's command.")
final class ShellCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Mixin ProjectOptions project;

  @Mixin RegistryFlags registry;

  @Parameters(index = "0", paramLabel = "NAME", description = "The image.")
  String name;

  @Parameters(index = "1..*", paramLabel = "COMMAND", description = "What to run instead of CMD.")
  List<String> run = new ArrayList<>();

  @Mixin RuntimeOption runtime;

  @Option(
      names = "--gpus",
      paramLabel = "WHICH",
      defaultValue = "auto",
      description =
          "${COMPLETION-CANDIDATES}: auto passes GPUs when the machine has NVIDIA devices"
              + " (default: ${DEFAULT-VALUE}).")
  ShellInvocation.Gpus gpus;

  @Option(
      names = "--workspace",
      paramLabel = "DIR",
      description = "The directory mounted at /workspace (default: the current directory).")
  Path workspace;

  @Option(names = "--dry-run", description = "Only print the command; load and run nothing.")
  boolean dryRun;

  /**
   * What replaces CMD. Everything after NAME is the command (rig stops reading options there); a
   * leading {@code --}, as in {@code rig shell NAME -- CMD}, still only separates.
   */
  private List<String> command() {
    return !run.isEmpty() && run.get(0).equals("--") ? run.subList(1, run.size()) : run;
  }

  @Override
  public Integer call() throws Exception {
    ContainerRuntime engine = runtime.find();
    try (CommandSession session = CommandSession.open(command, project, registry, project.quiet)) {
      PrintWriter err = session.err();
      PrintWriter out = session.out();
      Rig rig = session.rig();
      List<BuiltImage> images = rig.build(rig.load(project.spec()), List.of(name), project.locked);
      BuiltImage image = images.get(0);
      boolean terminal = System.console() != null;
      ShellInvocation shell =
          ShellInvocation.of(
              engine,
              engine.loadedName(image.reference()),
              (workspace == null ? Path.of("") : workspace).toAbsolutePath(),
              terminal,
              gpus,
              ShellInvocation.Host.probe(),
              command());
      if (dryRun) {
        session.endProgress();
        shell.gpuNote().ifPresent(note -> err.println("rig: " + note));
        err.println("+ " + shell.display());
        err.flush();
        out.println(shell.display());
        out.flush();
        return 0;
      }
      rig.load(images, engine);
      // The container may run for hours; a `rig cache gc` meanwhile need not wait for it.
      rig.releaseCache();
      session.endProgress();
      shell.gpuNote().ifPresent(note -> err.println("rig: " + note));
      err.println("+ " + shell.display());
      err.flush();
      ProcessBuilder builder = new ProcessBuilder(shell.argv());
      if (terminal) {
        return builder.inheritIO().start().waitFor();
      }
      // No terminal (a script, a test): pass the container's output through this command's
      // writers.
      Process process = builder.redirectInput(ProcessBuilder.Redirect.INHERIT).start();
      Thread errors = pump(process.getErrorStream(), err);
      pumpInto(process.getInputStream(), out);
      errors.join();
      return process.waitFor();
    }
  }

  private static Thread pump(InputStream in, PrintWriter to) {
    Thread thread = new Thread(() -> pumpInto(in, to), "rig-shell-stderr");
    thread.start();
    return thread;
  }

  /** Passes text through as characters, so a UTF-8 sequence split across reads stays whole. */
  private static void pumpInto(InputStream in, PrintWriter to) {
    try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      char[] buffer = new char[8192];
      for (int n; (n = reader.read(buffer)) > 0; ) {
        to.write(buffer, 0, n);
        to.flush();
      }
    } catch (java.io.IOException e) {
      // The container ended; nothing more to pass on.
    }
  }
}
