package dev.rig.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the real podman with the two settings this kind of machine needs: crun wrapped so that it
 * accepts hybrid cgroups, and ulimits within the machine's hard limits. Containers use the host
 * network or none, never a bridge.
 */
public final class Podman {
  private final Path podman;
  private final Path confFile;
  private final Path launcher;
  private final Map<String, String> environment;
  private final Optional<Path> runtimeDir;

  private Podman(
      Path podman,
      Path confFile,
      Path launcher,
      Map<String, String> environment,
      Optional<Path> runtimeDir) {
    this.podman = podman;
    this.confFile = confFile;
    this.launcher = launcher;
    this.environment = Map.copyOf(environment);
    this.runtimeDir = runtimeDir;
  }

  /** Prepares podman's configuration under {@code workDir}; fails if podman or crun is missing. */
  public static Podman create(Path workDir) {
    return create(workDir, false);
  }

  /**
   * As {@link #create(Path)}, with an image store of its own under {@code workDir} (overlay, as the
   * machine's default store): a benchmark that removes and loads images neither sees nor touches
   * anyone else's, and every load into it starts cold. Its run root and temp dir are in a short
   * directory of their own under /tmp ({@link #runtimeDir()}): podman's cleanup of an ended
   * container refuses a run root longer than 50 characters ("the specified runroot is longer than
   * 50 characters"), and {@code podman run} then waited 20 s for an exit code nothing recorded; and
   * the default temp dir, /run/libpod, belongs to the machine's own podman. Remove the store's
   * containers and images before deleting {@code workDir} and that directory.
   */
  public static Podman createWithPrivateStore(Path workDir) {
    return create(workDir, true);
  }

  private static Podman create(Path workDir, boolean privateStore) {
    Path podman = Tools.require("podman", "podman");
    Path crun = Tools.require("crun", "crun");
    try {
      Files.createDirectories(workDir);
      Path wrapper = workDir.resolve("crun");
      Files.writeString(
          wrapper,
          "#!/bin/sh\n"
              + "exec unshare -m --propagation private sh -c"
              + " 'umount /sys/fs/cgroup/unified 2>/dev/null; exec "
              + crun
              + " \"$@\"' crun \"$@\"\n");
      Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
      Optional<Path> runtimeDir =
          privateStore
              ? Optional.of(Files.createTempDirectory(Path.of("/tmp"), "rig-pm-"))
              : Optional.empty();
      Path conf = workDir.resolve("containers.conf");
      Files.writeString(
          conf,
          "[containers]\n"
              + "cgroups = \"disabled\"\n"
              // Containers in tests share the host's network (servers bind 127.0.0.1 only).
              + "netns = \"host\"\n"
              + "default_ulimits = [\"nofile=1024:1024\", \"nproc=4096:4096\"]\n"
              + "[engine]\n"
              + "runtime = \"crun\"\n"
              + runtimeDir.map(d -> "tmp_dir = \"" + d.resolve("tmp") + "\"\n").orElse("")
              + "[engine.runtimes]\n"
              + "crun = [\""
              + wrapper
              + "\"]\n");
      Map<String, String> environment = new LinkedHashMap<>();
      environment.put("CONTAINERS_CONF", conf.toString());
      if (privateStore) {
        Path storage = workDir.resolve("storage.conf");
        Files.writeString(
            storage,
            "[storage]\n"
                + "driver = \"overlay\"\n"
                + "graphroot = \""
                + workDir.resolve("store")
                + "\"\n"
                + "runroot = \""
                + runtimeDir.get().resolve("run")
                + "\"\n");
        environment.put("CONTAINERS_STORAGE_CONF", storage.toString());
      }
      StringBuilder assignments = new StringBuilder();
      environment.forEach((k, v) -> assignments.append(k).append('=').append(v).append(' '));
      Path launcher = workDir.resolve("podman");
      Files.writeString(launcher, "#!/bin/sh\n" + assignments + "exec " + podman + " \"$@\"\n");
      Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
      return new Podman(podman, conf, launcher, environment, runtimeDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The private store's run root and temp dir (a short path under /tmp), to delete once the store's
   * containers and images are removed; empty for the machine's own store.
   */
  public Optional<Path> runtimeDir() {
    return runtimeDir;
  }

  /** The environment under which podman (and skopeo to containers-storage) must run. */
  public Map<String, String> environment() {
    return environment;
  }

  public Path confFile() {
    return confFile;
  }

  /**
   * An executable named {@code podman} that runs podman with this configuration: for code under
   * test that starts podman itself (e.g. {@code rig load --runtime PATH}).
   */
  public Path launcher() {
    return launcher;
  }

  /** Runs {@code podman ARGS...} and returns its result (not checked). */
  public Exec.Result run(String... args) {
    return run(Duration.ofMinutes(5), args);
  }

  public Exec.Result run(Duration timeout, String... args) {
    List<String> command = new ArrayList<>();
    command.add(podman.toString());
    command.addAll(List.of(args));
    return Exec.run(command, environment(), null, timeout);
  }
}
