package dev.rig.build.home;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The build host's git, run with no terminal prompts (a build never waits for a password; git's own
 * credential helpers and ssh agent still apply) and a time limit.
 */
final class Git {
  /** What a git command printed (stdout and stderr together) and its exit code. */
  record Result(int exitCode, String output) {
    /** The last few lines of the output, for an error message. */
    String lastLines() {
      List<String> lines = output.strip().lines().toList();
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }

    Result orThrow(String what) throws HomeException {
      if (exitCode != 0) {
        throw new HomeException(what + " failed (exit " + exitCode + "): " + lastLines());
      }
      return this;
    }
  }

  private final Duration timeout;

  Git(Duration timeout) {
    this.timeout = timeout;
  }

  /** Runs {@code git ARGS} in {@code dir} (or the current directory when null). */
  Result run(Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    Path log = Files.createTempFile("rig-git", ".log");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      if (dir != null) {
        builder.directory(dir.toFile());
      }
      builder.environment().put("GIT_TERMINAL_PROMPT", "0");
      builder.environment().put("GIT_ASKPASS", "/bin/false");
      builder.environment().put("SSH_ASKPASS", "/bin/false");
      builder.environment().put("LC_ALL", "C");
      Process process;
      try {
        process = builder.start();
      } catch (IOException e) {
        throw new HomeException(
            "homeGit needs git on the build host, and it cannot be run: "
                + e.getMessage()
                + " (install it: apt-get install git)");
      }
      try {
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new HomeException(
              "git "
                  + String.join(" ", args)
                  + " did not finish within "
                  + timeout.toMinutes()
                  + " minutes");
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while running git", e);
      }
      return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
