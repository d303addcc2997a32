package dev.rig.oci;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the reference tools (umoci, skopeo, tar, zstd) that rig's output is checked against. A
 * missing tool fails the test with the package to install: these tests never skip, since a skip
 * under CI would hide a missing install step.
 */
public final class ExternalTool {
  private ExternalTool() {}

  /** The outcome of one run. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    public Result ok() {
      if (exitCode != 0) {
        throw new AssertionError(
            String.join(" ", command)
                + " exited "
                + exitCode
                + "\n--- stdout\n"
                + stdout
                + "\n--- stderr\n"
                + stderr);
      }
      return this;
    }
  }

  /** Absolute path of {@code program}; fails naming the Debian package when it is missing. */
  public static Path require(String program, String debianPackage) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return Path.of(dir, program);
      }
    }
    throw new AssertionError(
        program
            + " is not installed (CI="
            + System.getenv("CI")
            + "); install the Debian package "
            + debianPackage
            + " (see scripts/setup)");
  }

  public static Result run(Path workDir, String program, String debianPackage, String... args) {
    List<String> command = new ArrayList<>();
    command.add(require(program, debianPackage).toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    if (workDir != null) {
      builder.directory(workDir.toFile());
    }
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      CompletableFuture<String> out = drain(process.getInputStream());
      CompletableFuture<String> err = drain(process.getErrorStream());
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish in 2 minutes");
      }
      return new Result(command, process.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + command, e);
    }
  }

  public static Result umoci(String... args) {
    return run(null, "umoci", "umoci", args);
  }

  public static Result skopeo(String... args) {
    return run(null, "skopeo", "skopeo", args);
  }

  public static Result tar(Path workDir, String... args) {
    return run(workDir, "tar", "tar", args);
  }

  private static CompletableFuture<String> drain(java.io.InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "<unreadable: " + e + ">";
          }
        });
  }
}
