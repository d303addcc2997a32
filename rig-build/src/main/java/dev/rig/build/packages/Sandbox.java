package dev.rig.build.packages;

import dev.rig.build.rootfs.ImageRoot;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a command with a directory as its root, through bubblewrap: no network, private /proc, /dev,
 * /tmp and /run, a fixed environment, a new session (no ioctl on the caller's terminal), no way to
 * gain privileges, and only the capabilities a default container has. This is how maintainer
 * scripts run at build time, inside the image's own files and with the image's own dpkg, never the
 * host's.
 */
public final class Sandbox {
  /**
   * What podman gives a default container: enough for dpkg and scripts to own files by package
   * users and switch to them, never to mount, make devices, load modules or read past permissions.
   */
  private static final List<String> CAPABILITIES =
      List.of(
          "CAP_CHOWN",
          "CAP_DAC_OVERRIDE",
          "CAP_FOWNER",
          "CAP_FSETID",
          "CAP_KILL",
          "CAP_NET_BIND_SERVICE",
          "CAP_SETFCAP",
          "CAP_SETGID",
          "CAP_SETPCAP",
          "CAP_SETUID",
          "CAP_SYS_CHROOT");

  private final Path setpriv;
  private final Path bwrap;
  private final Path root;
  private final Map<String, String> env;
  private final boolean readOnly;
  private final Optional<Path> nice;

  private Sandbox(
      Path setpriv,
      Path bwrap,
      Path root,
      Map<String, String> env,
      boolean readOnly,
      Optional<Path> nice) {
    this.setpriv = setpriv;
    this.bwrap = bwrap;
    this.root = root;
    this.env = env;
    this.readOnly = readOnly;
    this.nice = nice;
  }

  /**
   * This sandbox with every command at the lowest CPU priority (nice 19, where the host has nice):
   * for work off the build's critical path, such as rig-init's Java link, which would otherwise
   * take a core from dpkg and the decoding that the install waits for.
   */
  Sandbox niced() {
    return new Sandbox(setpriv, bwrap, root, env, readOnly, onPath("nice"));
  }

  /**
   * This sandbox with its root mounted read-only for every command: for a root whose files are hard
   * links into the cache, which a command must not write through.
   */
  Sandbox readOnly() {
    return new Sandbox(setpriv, bwrap, root, env, true, nice);
  }

  public static Sandbox of(Path root, long sourceDateEpoch) throws PackageException {
    Path bwrap =
        onPath("bwrap")
            .orElseThrow(
                () ->
                    new PackageException(
                        "installing packages runs their maintainer scripts in a bubblewrap"
                            + " sandbox, and bwrap is not installed (apt-get install bubblewrap)"));
    // bwrap has no switch for no_new_privs; setpriv sets it before bwrap starts, and it holds for
    // everything bwrap runs (a setuid binary in the image gains nothing).
    Path setpriv =
        onPath("setpriv")
            .orElseThrow(
                () ->
                    new PackageException(
                        "installing packages runs their maintainer scripts without the right to"
                            + " gain privileges, set by setpriv, which is not installed"
                            + " (apt-get install util-linux)"));
    Map<String, String> env = new TreeMap<>();
    env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    env.put("DEBIAN_FRONTEND", "noninteractive");
    env.put("DEBCONF_NONINTERACTIVE_SEEN", "true");
    env.put("LC_ALL", "C");
    env.put("LANG", "C");
    env.put("HOME", "/root");
    env.put("SOURCE_DATE_EPOCH", Long.toString(sourceDateEpoch));
    return new Sandbox(setpriv, bwrap, root, env, false, Optional.empty());
  }

  private static Optional<Path> onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Runs {@code command} inside; {@code binds} are host directories mounted read-only. */
  Result run(List<String> command, Map<String, Path> binds, long timeoutSeconds)
      throws IOException {
    return run(command, binds, timeoutSeconds, line -> {});
  }

  /** {@link #run}, passing each line of output to {@code lines} as it comes (for progress). */
  Result run(
      List<String> command, Map<String, Path> binds, long timeoutSeconds, Consumer<String> lines)
      throws IOException {
    return run(command, binds, Map.of(), timeoutSeconds, lines);
  }

  /**
   * {@link #run} with {@code outputs}: host directories mounted writable at paths under /tmp, so a
   * tool can write its result out of the sandbox without touching the root (which may be shared).
   */
  public Result runWithOutputs(List<String> command, Map<String, Path> outputs, long timeoutSeconds)
      throws IOException {
    return run(command, Map.of(), outputs, timeoutSeconds);
  }

  /** {@link #runWithOutputs} with read-only {@code binds} as well. */
  Result run(
      List<String> command, Map<String, Path> binds, Map<String, Path> outputs, long timeoutSeconds)
      throws IOException {
    for (String inside : outputs.keySet()) {
      if (!inside.startsWith("/tmp/")) {
        throw new IllegalArgumentException("sandbox outputs go under /tmp/, not " + inside);
      }
    }
    return run(command, binds, outputs, timeoutSeconds, line -> {});
  }

  /**
   * Starts {@code command} inside and returns at once, its standard output a stream for the caller
   * to read (what it writes to standard error is kept for {@link Started#finish}). The root is
   * mounted read-only: such a command only reads, so it may run from a root that is cached, or that
   * dpkg installs into at the same time. {@code files} are host files mounted read-only at paths
   * under /tmp.
   */
  Started start(List<String> command, Map<String, Path> files) throws IOException {
    for (String inside : files.keySet()) {
      if (!inside.startsWith("/tmp/")) {
        throw new IllegalArgumentException("sandbox input files go under /tmp/, not " + inside);
      }
    }
    return new Started(command.get(0), launch(command, Map.of(), Map.of(), files, false, true));
  }

  /**
   * Starts bwrap around {@code command}, with stderr apart from stdout unless {@code merged}, and
   * the root read-only if {@code rootReadOnly}.
   */
  private Process launch(
      List<String> command,
      Map<String, Path> binds,
      Map<String, Path> outputs,
      Map<String, Path> files,
      boolean merged,
      boolean rootReadOnly)
      throws IOException {
    Optional<byte[]> filter = SeccompFilter.forHost();
    List<String> argv = new ArrayList<>();
    if (filter.isPresent()) {
      // bwrap reads the filter from a file descriptor, which ProcessBuilder cannot pass: a shell
      // moves the program's stdin (where the filter is written) to fd 3 and gives it /dev/null.
      argv.addAll(List.of("/bin/sh", "-c", "exec \"$@\" 3<&0 </dev/null", "sh"));
    }
    if (rootReadOnly) {
      // bwrap cannot make its mount points in a read-only root.
      for (String mountPoint : List.of("dev", "proc", "tmp", "run")) {
        ImageRoot.of(root).createDirectories(mountPoint);
      }
    }
    nice.ifPresent(program -> argv.addAll(List.of(program.toString(), "-n", "19")));
    argv.addAll(List.of(setpriv.toString(), "--no-new-privs", bwrap.toString()));
    argv.addAll(List.of(rootReadOnly ? "--ro-bind" : "--bind", root.toString(), "/"));
    argv.addAll(List.of("--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--tmpfs", "/run"));
    for (Map.Entry<String, Path> bind : new TreeMap<>(binds).entrySet()) {
      // Inside the root as the sandbox will see it, whatever links an earlier run left.
      ImageRoot.of(root).createDirectories(bind.getKey());
      argv.addAll(List.of("--ro-bind", bind.getValue().toString(), bind.getKey()));
    }
    // Under the sandbox's own /tmp, where bwrap makes the mount points: the root stays untouched.
    for (Map.Entry<String, Path> output : new TreeMap<>(outputs).entrySet()) {
      argv.addAll(List.of("--bind", output.getValue().toString(), output.getKey()));
    }
    for (Map.Entry<String, Path> file : new TreeMap<>(files).entrySet()) {
      argv.addAll(List.of("--ro-bind", file.getValue().toString(), file.getKey()));
    }
    argv.addAll(
        List.of(
            "--unshare-net",
            "--unshare-pid",
            "--unshare-ipc",
            "--unshare-uts",
            "--hostname",
            "rig-build",
            "--die-with-parent",
            "--new-session",
            "--clearenv",
            "--cap-drop",
            "ALL"));
    CAPABILITIES.forEach(cap -> argv.addAll(List.of("--cap-add", cap)));
    if (filter.isPresent()) {
      argv.addAll(List.of("--seccomp", "3"));
    }
    env.forEach((k, v) -> argv.addAll(List.of("--setenv", k, v)));
    argv.addAll(command);
    Process process = new ProcessBuilder(argv).redirectErrorStream(merged).start();
    try (OutputStream in = process.getOutputStream()) {
      if (filter.isPresent()) {
        in.write(filter.get());
      }
    } catch (IOException e) {
      // bwrap exited before reading its filter; its own output says why.
    }
    return process;
  }

  private Result run(
      List<String> command,
      Map<String, Path> binds,
      Map<String, Path> outputs,
      long timeoutSeconds,
      Consumer<String> lines)
      throws IOException {
    Process process = launch(command, binds, outputs, Map.of(), true, readOnly);
    // Output is drained on its own thread, so a script that hangs still meets the timeout.
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(
            () -> {
              StringBuilder all = new StringBuilder();
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  all.append(line).append('\n');
                  lines.accept(line);
                }
              } catch (IOException | RuntimeException e) {
                // The process ended or the listener failed: what was read is the output.
              }
              return all.toString();
            });
    try {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new PackageException(
            "sandboxed " + String.join(" ", command) + " ran past " + timeoutSeconds + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new java.io.InterruptedIOException("interrupted while running " + command.get(0));
    }
    return new Result(process.exitValue(), output.join());
  }

  public record Result(int exitCode, String output) {}

  /** A command started by {@link #start}: its output to read, then its end to wait for. */
  static final class Started implements AutoCloseable {
    private final String program;
    private final Process process;
    private final CompletableFuture<String> errors;

    private Started(String program, Process process) {
      this.program = program;
      this.process = process;
      // Drained on its own thread, so a command that writes much to stderr never blocks.
      this.errors =
          CompletableFuture.supplyAsync(
              () -> {
                try (InputStream in = process.getErrorStream()) {
                  return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                  return "";
                }
              });
    }

    /** The command's standard output. */
    InputStream output() {
      return process.getInputStream();
    }

    /** Waits for the command's end: its exit code and what it wrote to standard error. */
    Result finish(long timeoutSeconds) throws IOException {
      try {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new PackageException("sandboxed " + program + " ran past " + timeoutSeconds + " s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
        throw new java.io.InterruptedIOException("interrupted while running " + program);
      }
      return new Result(process.exitValue(), errors.join());
    }

    /** Stops the command if it still runs (bwrap's --die-with-parent takes its children along). */
    @Override
    public void close() {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
    }
  }
}
