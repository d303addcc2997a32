package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.build.load.ContainerRuntime;
import dev.rig.testkit.Exec;
import dev.rig.testkit.Podman;
import dev.rig.testkit.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rig load} and {@code rig shell} with a real podman. */
class LoadAndShellTest {
  @TempDir Path dir;

  private final String name = "shell-" + UUID.randomUUID().toString().substring(0, 8);

  private Path spec() throws IOException {
    Path busybox = Tools.require("busybox", "busybox-static");
    Path file = dir.resolve("rig.yaml");
    Files.writeString(
        file,
        "images:\n  "
            + name
            + ":\n    copyToRoot:\n      - { source: "
            + busybox
            + ", target: /bin/busybox, mode: \"0755\" }\n    cmd: [/bin/busybox, echo,"
            + " default-cmd]\n");
    return file;
  }

  @Test
  void loadThenPodmanRun() throws IOException {
    Podman podman = Podman.create(dir.resolve("podman"));
    String image = "localhost/" + name + ":latest";
    try {
      RigRun load =
          RigRun.withCache(
                  dir.resolve("cache"),
                  List.of(
                      "load", "-f", spec().toString(), "--runtime", podman.launcher().toString()))
              .ok();
      assertTrue(load.stdout().startsWith(image + " sha256:"), load.describe());
      Exec.Result run = podman.run("run", "--rm", image);
      assertEquals("default-cmd", run.ok().stdout().strip());
    } finally {
      podman.run("rmi", "-f", image);
    }
  }

  @Test
  void shellPrintsAndRunsTheCommandWithTheWorkspaceMounted() throws IOException {
    Podman podman = Podman.create(dir.resolve("podman"));
    String image = "localhost/" + name + ":latest";
    Path workspace = Files.createDirectories(dir.resolve("project"));
    Files.writeString(workspace.resolve("marker.txt"), "in the workspace\n");
    try {
      RigRun shell =
          RigRun.withCache(
                  dir.resolve("cache"),
                  List.of(
                      "shell",
                      "-f",
                      spec().toString(),
                      "--runtime",
                      podman.launcher().toString(),
                      "--gpus",
                      "none",
                      "--workspace",
                      workspace.toString(),
                      name,
                      "--",
                      "/bin/busybox",
                      "sh",
                      "-c",
                      "pwd; cat marker.txt"))
              .ok();
      String expected =
          "+ "
              + podman.launcher()
              + " run --rm -i -v "
              + workspace
              + ":/workspace -w /workspace "
              + image
              + " /bin/busybox sh -c 'pwd; cat marker.txt'";
      assertTrue(shell.stderr().contains(expected), shell.describe());
      assertEquals("/workspace\nin the workspace", shell.stdout().strip(), shell.describe());
    } finally {
      podman.run("rmi", "-f", image);
    }
  }

  @Test
  void gpusArePassedTheWayEachEngineExpects() throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path docker = bin.resolve("docker");
    Files.writeString(docker, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(docker, PosixFilePermissions.fromString("rwxr-xr-x"));
    RigRun dry =
        RigRun.withCache(
                dir.resolve("cache"),
                List.of(
                    "shell",
                    "-f",
                    spec().toString(),
                    "--runtime",
                    docker.toString(),
                    "--gpus",
                    "all",
                    "--dry-run",
                    name))
            .ok();
    assertTrue(dry.stdout().contains(" run --rm -i --gpus all -v "), dry.describe());
    assertTrue(dry.stdout().strip().endsWith(":/workspace -w /workspace " + name + ":latest"));
    // After NAME everything is the command, options included, as with docker run.
    RigRun withOptions =
        RigRun.withCache(
                dir.resolve("cache"),
                List.of(
                    "shell",
                    "-f",
                    spec().toString(),
                    "--runtime",
                    docker.toString(),
                    "--dry-run",
                    name,
                    "bash",
                    "-c",
                    "nvidia-smi -L"))
            .ok();
    assertTrue(
        withOptions.stdout().strip().endsWith(name + ":latest bash -c 'nvidia-smi -L'"),
        withOptions.describe());
    // rig's options written after NAME are rig's (--dry-run never starts anything), up to the
    // first word of the command; the command's own options stay the command's.
    Path started = dir.resolve("docker-was-run");
    Files.writeString(docker, "#!/bin/sh\ntouch " + started + "\nexit 0\n");
    RigRun afterName =
        RigRun.withCache(
                dir.resolve("cache"),
                List.of(
                    "shell",
                    "-f",
                    spec().toString(),
                    name,
                    "--runtime=" + docker,
                    "--dry-run",
                    "--gpus",
                    "none",
                    "bash",
                    "--dry-run",
                    "-f",
                    "x"))
            .ok();
    assertTrue(
        afterName.stdout().strip().endsWith(name + ":latest bash --dry-run -f x"),
        afterName.describe());
    assertFalse(afterName.stdout().contains("--gpus"), afterName.describe());
    assertFalse(Files.exists(started), "--dry-run after NAME ran " + docker);

    ContainerRuntime podman =
        new ContainerRuntime(ContainerRuntime.Kind.podman, Path.of("/usr/bin/podman"));
    ShellInvocation withCdi =
        ShellInvocation.of(
            podman,
            "img",
            dir,
            true,
            ShellInvocation.Gpus.auto,
            new ShellInvocation.Host(true, true),
            List.of());
    assertTrue(withCdi.argv().containsAll(List.of("-it", "--device", "nvidia.com/gpu=all")));
    assertTrue(withCdi.gpuNote().isEmpty());
    ShellInvocation noCdi =
        ShellInvocation.of(
            podman,
            "img",
            dir,
            true,
            ShellInvocation.Gpus.auto,
            new ShellInvocation.Host(true, false),
            List.of());
    assertTrue(noCdi.gpuNote().orElseThrow().contains("nvidia-ctk cdi generate"));
    ShellInvocation noGpu =
        ShellInvocation.of(
            podman,
            "img",
            dir,
            false,
            ShellInvocation.Gpus.auto,
            new ShellInvocation.Host(false, false),
            List.of());
    assertTrue(noGpu.gpuNote().orElseThrow().contains("no NVIDIA GPU"));
    assertTrue(noGpu.argv().stream().noneMatch(a -> a.contains("nvidia")));
  }

  @Test
  void noEngineInstalledIsAClearError() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> ContainerRuntime.find(null, dir.toString()));
    assertTrue(e.getMessage().contains("neither podman nor docker is installed"), e.getMessage());
    assertTrue(e.getMessage().contains("docker-archive:FILE"), e.getMessage());
  }
}
