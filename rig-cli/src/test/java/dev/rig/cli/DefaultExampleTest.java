package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.testkit.Exec;
import dev.rig.testkit.LocalRegistry;
import dev.rig.testkit.Podman;
import dev.rig.testkit.SharedLibrary;
import dev.rig.testkit.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default example, examples/gpu/rig.pkl, as the user gets it: {@code rig build} makes a CUDA
 * image from debian:trixie (all of CUDA 12.4's Debian libraries and the default tool sets) that
 * starts under podman with its own entrypoint, takes an SSH login with the key from PUBLIC_KEY and
 * has the default tools on PATH. With a fake libcuda.so.1 mounted where the NVIDIA container
 * toolkit puts the driver, a program built by this machine's nvcc is told "no CUDA-capable device"
 * (the driver glue works) rather than "insufficient driver", and {@code rig-init doctor} says so.
 * The only change to the example is sshd on a free port of 127.0.0.1 (containers share the host's
 * network here).
 */
class DefaultExampleTest {
  @TempDir Path dir;

  /** A command of each default set (core, network, shell), and the example's python3. */
  static final List<String> DEFAULT_TOOLS =
      List.of(
          // core
          "bash",
          "ls",
          "find",
          "grep",
          "sed",
          "gawk",
          "tar",
          "gzip",
          "xz",
          "bzip2",
          "unzip",
          "less",
          "nano",
          "ps",
          "mount",
          "sudo",
          "tini",
          "git",
          "openssl",
          "lspci",
          // network
          "curl",
          "wget",
          "ip",
          "ping",
          "nc",
          "ssh",
          "rclone",
          // shell
          "tmux",
          "rg",
          "fzf",
          // the example's packages
          "python3");

  @Test
  void defaultExampleBuildsRunsWithSshToolsAndCudaDriverGlue() throws Exception {
    Tools.require("bwrap", "bubblewrap");
    Tools.require("ssh", "openssh-client");
    Tools.require("gcc", "gcc");
    // nvcc comes with this machine (CUDA 13 under /usr/local), not from Debian.
    Path nvcc = Tools.require("nvcc", "nvidia-cuda-toolkit");
    Path example = Path.of("..", "examples", "gpu", "rig.pkl").toAbsolutePath().normalize();
    assertTrue(Files.isRegularFile(example), example.toString());

    Path project = Files.createDirectories(dir.resolve("gpu"));
    Files.copy(example, project.resolve("rig.pkl"));
    int sshPort = LocalRegistry.freePort();
    Path spec = project.resolve("ci.pkl");
    Files.writeString(spec, sshdOnly("gpu", sshPort));

    long t0 = System.nanoTime();
    Path archive = dir.resolve("gpu.tar");
    RigRun build =
        RigRun.withCache(
                RigRun.sharedCache(),
                List.of("build", "-f", spec.toString(), "--out", "docker-archive:" + archive))
            .ok();
    long buildSeconds = (System.nanoTime() - t0) / 1_000_000_000L;
    System.out.printf(
        "default example built in %d s (%d MB archive)%n%s%n",
        buildSeconds, Files.size(archive) >> 20, build.stdout());
    assertTrue(build.stdout().startsWith("gpu:cuda12.4"), build.describe());

    // The CUDA program and the fake driver, built here.
    Path program = dir.resolve("device-count");
    Path cu = dir.resolve("device-count.cu");
    Files.write(cu, resource("cuda/device-count.cu"));
    Exec.run(List.of(nvcc.toString(), "-o", program.toString(), cu.toString())).ok();
    Path source = dir.resolve("fake-libcuda.c");
    Files.write(source, resource("cuda/fake-libcuda.c"));
    String driver = "580.65.06";
    Path lib = SharedLibrary.build(source, dir.resolve("libcuda.so." + driver), "libcuda.so.1");

    Podman podman = Podman.create(dir.resolve("podman"));
    String id = UUID.randomUUID().toString().substring(0, 8);
    String image = "localhost/rig-default-example-" + id + ":test";
    String container = "rig-default-example-" + id;
    long tLoad = System.nanoTime();
    podman.run(Duration.ofMinutes(10), "load", "-i", archive.toString()).ok();
    podman.run("tag", "localhost/gpu:cuda12.4", image).ok();
    podman.run("rmi", "localhost/gpu:cuda12.4");
    Files.delete(archive);
    System.out.printf("podman load: %d s%n", (System.nanoTime() - tLoad) / 1_000_000_000L);
    try {
      SshLogin ssh = SshLogin.newKey(dir, "default", sshPort);
      List<String> args = new ArrayList<>();
      args.addAll(List.of("-e", "PUBLIC_KEY=" + ssh.publicKey()));
      // Where the container toolkit mounts the host's driver; rig-init links libcuda.so.1 to it.
      args.addAll(List.of("-v", lib + ":/usr/lib/x86_64-linux-gnu/libcuda.so." + driver + ":ro"));
      args.addAll(List.of("-v", program + ":/usr/local/bin/device-count:ro"));
      long tStart = System.nanoTime();
      Container c = Container.start(podman, container, image, args);
      ssh.await("true", tStart, Duration.ofSeconds(60), c::deadReason);

      // The default tools, in a login's PATH.
      StringBuilder script = new StringBuilder("for p in");
      DEFAULT_TOOLS.forEach(t -> script.append(' ').append(t));
      script.append("; do command -v $p >/dev/null || echo missing $p; done; echo tools-checked");
      String tools = ssh.run(script.toString()).ok().stdout();
      assertEquals("tools-checked", tools.strip(), "tools missing from PATH:\n" + tools);

      // CUDA's variables in an SSH session, its libraries under /usr/local/cuda.
      String cuda =
          ssh.run(
                  String.join(
                      "; ",
                      "echo cuda=$CUDA_VERSION",
                      "echo require=$NVIDIA_REQUIRE_CUDA",
                      "echo caps=$NVIDIA_DRIVER_CAPABILITIES devices=$NVIDIA_VISIBLE_DEVICES",
                      "echo ld=$LD_LIBRARY_PATH",
                      "echo path=$PATH",
                      "for l in cudart.so.12 cublas.so.12 cublasLt.so.12 cufft.so.11 curand.so.10"
                          + " cusparse.so.12 nvrtc.so.12 nvJitLink.so.12; do"
                          + " test -e /usr/local/cuda/lib64/lib$l || echo missing-lib $l; done",
                      "ldconfig -p | grep -q libnccl.so.2 || echo missing-lib nccl",
                      "ls /usr/local/cuda/lib64 | sed 's/^/lib64: /'",
                      "test -L /usr/local/cuda/lib64 && echo lib64-is-a-link",
                      "test -e /usr/local/cuda/bin && echo cuda-bin-exists",
                      "cat /usr/local/cuda/version.json",
                      "for d in $(echo \"$PATH\" | tr : ' '); do test -d $d || echo missing-path $d;"
                          + " done",
                      "grep -q 'include /etc/ld.so.conf.d' /etc/ld.so.conf && echo ldconf-ok",
                      "test -x /sbin/ldconfig && test -f /etc/debian_version && echo files-ok",
                      "grep VERSION_CODENAME /etc/os-release"))
              .ok()
              .stdout();
      System.out.println(cuda);
      assertTrue(cuda.contains("cuda=12.4\n"), cuda);
      assertTrue(cuda.contains("require=cuda>=12.4,driver>=550.54.14"), cuda);
      assertTrue(cuda.contains("caps=compute,utility devices=all"), cuda);
      assertTrue(cuda.contains("ld=/usr/local/nvidia/lib64:/usr/local/nvidia/lib"), cuda);
      assertFalse(cuda.contains("missing-lib"), cuda);
      // /usr/local/cuda as CUDA users expect it: lib64 a directory of the CUDA libraries only,
      // no bin/ (the example installs no CUDA tools) and so none on PATH, version.json.
      assertTrue(cuda.contains("lib64: libcudart.so.12\n"), cuda);
      assertTrue(cuda.contains("lib64: libnccl.so.2\n"), cuda);
      assertFalse(cuda.contains("lib64-is-a-link"), cuda);
      assertFalse(cuda.contains("lib64: libc.so.6"), cuda);
      assertFalse(cuda.contains("cuda-bin-exists"), cuda);
      assertFalse(cuda.contains("/usr/local/cuda/bin"), cuda);
      assertTrue(cuda.contains("\"name\": \"CUDA SDK\""), cuda);
      assertTrue(cuda.contains("\"version\": \"12.4."), cuda);
      // Every PATH entry exists, except those filled at run time: the driver's tools that older
      // NVIDIA runtimes and some markets mount, and what `pip install --user` creates.
      List<String> missing =
          cuda.lines()
              .filter(l -> l.startsWith("missing-path "))
              .map(l -> l.substring("missing-path ".length()))
              .filter(d -> !d.equals("/usr/local/nvidia/bin") && !d.equals("/root/.local/bin"))
              .toList();
      assertEquals(List.of(), missing, cuda);
      assertTrue(cuda.contains("ldconf-ok") && cuda.contains("files-ok"), cuda);
      assertTrue(cuda.contains("VERSION_CODENAME=trixie"), cuda);

      // The driver glue: libcuda.so.1 links to the injected driver, and CUDA finds no device.
      String gpu =
          ssh.run(
                  "ls -l /usr/lib/x86_64-linux-gnu/libcuda.so.1; device-count;"
                      + " python3 -c 'import ctypes; n = ctypes.c_int(-1);"
                      + " e = ctypes.CDLL(\"libcudart.so.12\").cudaGetDeviceCount(ctypes.byref(n));"
                      + " print(\"cudart12\", e, n.value)';"
                      + " /usr/lib/rig/rig-init doctor 2>&1")
              .ok()
              .stdout();
      System.out.println(gpu);
      assertTrue(gpu.contains("libcuda.so.1 -> "), gpu);
      assertTrue(gpu.contains("cudaErrorNoDevice: no CUDA-capable device is detected"), gpu);
      assertFalse(gpu.contains("cudaErrorInsufficientDriver"), gpu);
      // The image's own CUDA 12.4 runtime gets the same answer: 100 is cudaErrorNoDevice.
      assertTrue(gpu.contains("cudart12 100 "), gpu);
      // doctor: the driver library it found, no device node, and what that means.
      assertTrue(gpu.contains("driver " + driver), gpu);
      assertTrue(gpu.contains("CUDA 12.4 needs >= 550.54.14: ok"), gpu);
      assertTrue(gpu.contains("no device"), gpu);
      assertTrue(gpu.contains("port " + sshPort + " accepting"), gpu);

      long stopMs = c.stopAndExpectExit0();
      System.out.printf("podman stop: %d ms%n", stopMs);
    } finally {
      Container.remove(podman, container);
      podman.run("rmi", image);
    }
  }

  /** A spec amending rig.pkl in the same directory: sshd on {@code port} of 127.0.0.1. */
  static String sshdOnly(String image, int port) {
    return amendment(image, port, "");
  }

  /**
   * A spec amending rig.pkl in the same directory: sshd on {@code port} of 127.0.0.1, and {@code
   * moreRuntime} (Pkl members) in the image's runtime block.
   */
  static String amendment(String image, int port, String moreRuntime) {
    return "amends \"rig.pkl\"\n\nimages {\n  [\""
        + image
        + "\"] {\n    runtime {\n      sshd { port = "
        + port
        + "; listenAddress = \"127.0.0.1\" }\n"
        + moreRuntime
        + "    }\n  }\n}\n";
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in = DefaultExampleTest.class.getResourceAsStream("/" + name)) {
      return in.readAllBytes();
    }
  }
}
