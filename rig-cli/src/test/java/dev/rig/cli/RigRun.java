package dev.rig.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs the rig command line in-process and captures what it prints. */
record RigRun(int exitCode, String stdout, String stderr) {

  /** Runs {@code args} (a subcommand first) with the cache at {@code cache}. */
  static RigRun withCache(java.nio.file.Path cache, List<String> args) {
    java.util.List<String> all = new java.util.ArrayList<>(args);
    all.addAll(1, List.of("--cache", cache.toString()));
    return of(all);
  }

  /**
   * The cache that tests building full GPU images share (target/e2e-cache of this module): the
   * default example, every template and the docs' commands fetch the same 700 MB of CUDA .debs and
   * install the same roots, once per clean build.
   */
  static java.nio.file.Path sharedCache() {
    return java.nio.file.Path.of("target", "e2e-cache").toAbsolutePath();
  }

  static RigRun of(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    synchronized (RigRun.class) {
      PrintStream oldOut = System.out;
      PrintStream oldErr = System.err;
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      try {
        code = Main.run(args.toArray(String[]::new));
      } finally {
        System.setOut(oldOut);
        System.setErr(oldErr);
      }
    }
    return new RigRun(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  RigRun ok() {
    if (exitCode != 0) {
      throw new AssertionError("rig exited " + exitCode + "\n" + stdout + "\n" + stderr);
    }
    return this;
  }

  String describe() {
    return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
  }
}
