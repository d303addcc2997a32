package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.oci.image.ImageLayer;
import dev.rig.oci.layout.OciLayoutReader;
import dev.rig.testkit.Exec;
import dev.rig.testkit.LocalRegistry;
import dev.rig.testkit.Podman;
import dev.rig.testkit.SharedLibrary;
import dev.rig.testkit.SshCommand;
import dev.rig.testkit.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rig-init in real podman containers of an image rig built from Debian packages: SSH keys from each
 * market's variable, the environment in SSH sessions, passwords, host keys per container, services
 * with dependencies and restarts, clean stop, exit codes, GPU driver glue with a fake libcuda, and
 * an age secret that reaches /run/secrets but no layer.
 */
class RuntimeEndToEndTest {
  @TempDir Path dir;

  private final String name = "rt-" + UUID.randomUUID().toString().substring(0, 8);
  private final String secretText = "s3cret-" + UUID.randomUUID();
  private final List<String> containers = new ArrayList<>();
  private Podman podman;
  private String image;
  private int sshPort;
  private String ageIdentity;

  @BeforeEach
  void buildImage() throws Exception {
    Tools.require("bwrap", "bubblewrap");
    Tools.require("age", "age");
    Tools.require("ssh", "openssh-client");
    sshPort = LocalRegistry.freePort();
    int webPort = LocalRegistry.freePort();
    Path key = dir.resolve("age.key");
    Exec.run(List.of("age-keygen", "-o", key.toString())).ok();
    ageIdentity =
        Files.readAllLines(key).stream()
            .filter(l -> l.startsWith("AGE-SECRET-KEY-"))
            .findFirst()
            .orElseThrow();
    String recipient = Exec.run(List.of("age-keygen", "-y", key.toString())).ok().stdout().strip();
    Files.writeString(dir.resolve("token.txt"), secretText);
    Exec.run(
            List.of(
                "age",
                "-r",
                recipient,
                "-o",
                dir.resolve("token.age").toString(),
                dir.resolve("token.txt").toString()))
        .ok();
    Files.delete(dir.resolve("token.txt"));
    Files.writeString(
        dir.resolve("rig.yaml"),
        String.join(
            "\n",
            "images:",
            "  " + name + ":",
            "    packages: [python3]",
            "    slim: { docs: true, manPages: true, locales: true }",
            "    environment: { core: false, network: false, shell: false }",
            "    cuda: { enable: false }",
            "    extraEnv: { CUDA_VERSION: \"12.4\" }",
            "    runtime:",
            "      sshd: { port: " + sshPort + ", listenAddress: 127.0.0.1 }",
            "      services:",
            "        web:",
            "          command: [python3, -m, http.server, \"" + webPort + "\", --bind, 127.0.0.1]",
            "          readiness: { tcpPort: " + webPort + " }",
            "        after-web:",
            "          command: [sh, -c, \"touch /tmp/after-web; exec sleep 100000\"]",
            "          dependsOn: [web]",
            "        flaky:",
            "          command: [sh, -c, \"exit 1\"]",
            "          maxRestarts: 2",
            "          restartDelay: 0.2",
            "        orphans:",
            "          command: [sh, -c, \"sleep 0.3 & sleep 0.4 & exit 0\"]",
            "          restart: never",
            "      secrets:",
            "        token: { file: token.age }",
            ""));
    Path cache = dir.resolve("cache");
    RigRun.withCache(
            cache,
            List.of(
                "build",
                "-f",
                dir.resolve("rig.yaml").toString(),
                "--out",
                "oci:" + dir.resolve("layout")))
        .ok();
    Path archive = dir.resolve("image.tar");
    RigRun.withCache(
            cache,
            List.of(
                "build",
                "-f",
                dir.resolve("rig.yaml").toString(),
                "--out",
                "docker-archive:" + archive))
        .ok();
    podman = Podman.create(dir.resolve("podman"));
    image = "localhost/" + name + ":latest";
    podman.run("load", "-i", archive.toString()).ok();
  }

  @AfterEach
  void cleanUp() {
    for (String c : containers) {
      podman.run("rm", "-f", c);
    }
    if (podman != null) {
      podman.run("rmi", "-f", image);
    }
  }

  private String start(String... env) {
    String container = name + "-" + containers.size();
    List<String> args = new ArrayList<>(List.of("run", "-d", "--name", container));
    for (String e : env) {
      args.add("-e");
      args.add(e);
    }
    args.add(image);
    podman.run(args.toArray(String[]::new)).ok();
    containers.add(container);
    return container;
  }

  private Exec.Result exec(String container, String script) {
    return podman.run("exec", container, "sh", "-c", script);
  }

  private Exec.Result ssh(Path key, String command) {
    return Exec.run(SshCommand.asRoot(sshPort, key, 2, command));
  }

  private Path newKey(String label) {
    Path key = dir.resolve("key-" + label);
    Exec.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())).ok();
    return key;
  }

  /** Polls until an SSH login runs {@code command}; returns the result and the time it took. */
  private Exec.Result awaitLogin(Path key, String command, long startNanos) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Exec.Result last = null;
    while (System.nanoTime() < deadline) {
      last = ssh(key, command);
      if (last.exitCode() == 0) {
        System.out.printf(
            "container start -> ssh login done: %d ms%n",
            (System.nanoTime() - startNanos) / 1_000_000);
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no SSH login within 30 s: " + (last == null ? "" : last.describe()));
  }

  private void stopWithin2s(String container) {
    long t0 = System.nanoTime();
    podman.run("stop", "-t", "10", container).ok();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    String code = podman.run("inspect", container, "--format", "{{.State.ExitCode}}").ok().stdout();
    assertEquals("0", code.strip(), "exit code after podman stop");
    assertTrue(ms < 2000, "podman stop took " + ms + " ms");
  }

  @Test
  void sshKeysFromEachMarketEnvironmentSecretsServicesAndStop() throws Exception {
    String[] variables = {"PUBLIC_KEY", "SSH_PUBLIC_KEY", "SSH_PUBLIC_KEYS"};
    String firstHostKey = null;
    for (int i = 0; i < variables.length; i++) {
      Path key = newKey(variables[i]);
      long t0 = System.nanoTime();
      String c =
          start(
              variables[i] + "=" + Files.readString(key.resolveSibling(key.getFileName() + ".pub")),
              "RIG_AGE_IDENTITY=" + ageIdentity);
      Exec.Result session = awaitLogin(key, "echo cuda=$CUDA_VERSION", t0);
      assertEquals("cuda=12.4", session.stdout().strip(), variables[i]);
      String hostKey = exec(c, "cat /etc/ssh/ssh_host_ed25519_key.pub").ok().stdout();
      if (i == 0) {
        firstHostKey = hostKey;
        Exec.Result checks =
            exec(
                c,
                String.join(
                    "; ",
                    "stat -c '%a %U' /run/secrets/token",
                    "cat /run/secrets/token; echo",
                    "grep '^root:' /etc/shadow | cut -d: -f2",
                    "/usr/sbin/sshd -T -f /run/rig/sshd_config | grep -iE"
                        + " '^(permitemptypasswords|passwordauthentication) '",
                    "sleep 2; /usr/lib/rig/rig-init status",
                    "test -e /tmp/after-web && echo after-web-started",
                    "echo zombies $(cat /proc/[0-9]*/stat | awk '$3 == \"Z\"' | wc -l)",
                    // slim: docs, man pages and locales left out, copyright files kept.
                    "echo slim $(find /usr/share/locale -type f ! -name locale.alias | wc -l)"
                        // info's directory file is written by install-info, not unpacked.
                        + " $(find /usr/share/man /usr/share/info -type f ! -path /usr/share/info/dir"
                        + " 2>/dev/null | wc -l)"
                        + " $(find /usr/share/doc -type f ! -name copyright | wc -l)"
                        + " $(find /usr/share/doc -name copyright | wc -l | sed 's/^[1-9].*/some/')",
                    "find /usr/share/man /usr/share/info -type f"));
        String out = checks.ok().stdout();
        assertTrue(out.contains("400 root"), out);
        assertTrue(out.contains(secretText), out);
        assertTrue(out.lines().anyMatch(l -> l.equals("*")), "root has no usable password: " + out);
        assertTrue(out.toLowerCase().contains("permitemptypasswords no"), out);
        assertTrue(out.toLowerCase().contains("passwordauthentication no"), out);
        assertTrue(out.contains("after-web-started"), out);
        assertTrue(
            out.lines()
                .anyMatch(l -> l.startsWith("flaky") && l.contains("failed") && l.contains(" 2 ")),
            "flaky is restarted twice, then failed: " + out);
        assertTrue(out.contains("zombies 0"), out);
        assertTrue(out.contains("slim 0 0 0 some"), out);
        // The plain text is in no layer of the image.
        assertFalse(anyLayerContains(secretText), "the secret's plain text is in a layer");
      } else {
        assertNotEquals(firstHostKey, hostKey, "two containers share a host key");
      }
      stopWithin2s(c);
    }
  }

  @Test
  void passwordLoginOnlyWithRootPasswordAndExitCodes() throws Exception {
    Path askpass = dir.resolve("askpass");
    Files.writeString(askpass, "#!/bin/sh\necho pw-" + name + "\n");
    Files.setPosixFilePermissions(askpass, PosixFilePermissions.fromString("rwx------"));
    String c = start("ROOT_PASSWORD=pw-" + name, "RIG_AGE_IDENTITY=" + ageIdentity);
    Exec.Result login = null;
    for (int i = 0; i < 100; i++) {
      login =
          Exec.run(
              List.of(
                  "setsid",
                  "-w",
                  "ssh",
                  "-p",
                  String.valueOf(sshPort),
                  "-o",
                  "StrictHostKeyChecking=no",
                  "-o",
                  "UserKnownHostsFile=/dev/null",
                  "-o",
                  "PreferredAuthentications=password",
                  "-o",
                  "PubkeyAuthentication=no",
                  "-o",
                  "NumberOfPasswordPrompts=1",
                  "root@127.0.0.1",
                  "echo password-ok"),
              java.util.Map.of(
                  "SSH_ASKPASS",
                  askpass.toString(),
                  "SSH_ASKPASS_REQUIRE",
                  "force",
                  "DISPLAY",
                  ":0"),
              dir,
              Duration.ofSeconds(20));
      if (login.exitCode() == 0) {
        break;
      }
      Thread.sleep(100);
    }
    assertTrue(login.stdout().contains("password-ok"), login.describe());
    stopWithin2s(c);

    Exec.Result exit3 =
        podman.run(
            "run", "--rm", "-e", "RIG_AGE_IDENTITY=" + ageIdentity, image, "sh", "-c", "exit 3");
    assertEquals(3, exit3.exitCode(), exit3.describe());
  }

  @Test
  void gpuDriverGlueWithAFakeLibcuda() throws Exception {
    Tools.require("gcc", "gcc");
    // nvcc comes with this machine (CUDA 13 under /usr/local), not from Debian.
    Path nvcc = Tools.require("nvcc", "nvidia-cuda-toolkit");
    Path source = dir.resolve("fake-libcuda.c");
    Files.write(source, resource("cuda/fake-libcuda.c"));
    Path program = dir.resolve("device-count");
    Path cu = dir.resolve("device-count.cu");
    Files.write(cu, resource("cuda/device-count.cu"));
    Exec.run(List.of(nvcc.toString(), "-o", program.toString(), cu.toString())).ok();
    for (String version : List.of("580.65.06", "470.57.02")) {
      Path lib = SharedLibrary.build(source, dir.resolve("libcuda.so." + version), "libcuda.so.1");
      Exec.Result run =
          podman.run(
              "run",
              "--rm",
              "-e",
              "RIG_AGE_IDENTITY=" + ageIdentity,
              "-e",
              "FAKE_CUDA_DRIVER_VERSION=" + (version.startsWith("580") ? "13000" : "11040"),
              "-v",
              lib + ":/usr/lib/x86_64-linux-gnu/libcuda.so." + version + ":ro",
              "-v",
              program + ":/usr/local/bin/device-count:ro",
              image,
              "sh",
              "-c",
              "ls -l /usr/lib/x86_64-linux-gnu/libcuda.so.1; /usr/local/bin/device-count;"
                  + " /usr/lib/rig/rig-init doctor");
      String all = run.ok().stdout() + run.stderr();
      assertTrue(all.contains("libcuda.so.1 -> "), all);
      assertTrue(all.contains(version), all);
      assertTrue(all.contains("no device"), all);
      if (version.startsWith("580")) {
        // The driver glue works: a CUDA 13 program finds the driver and is told there is no GPU.
        assertTrue(all.contains("cudaErrorNoDevice: no CUDA-capable device is detected"), all);
      } else {
        assertTrue(all.contains("too old"), all);
        assertTrue(all.contains("cudaErrorInsufficientDriver"), all);
      }
    }
    Exec.Result none =
        podman.run(
            "run",
            "--rm",
            "-e",
            "RIG_AGE_IDENTITY=" + ageIdentity,
            image,
            "sh",
            "-c",
            "echo main-ran");
    String all = none.ok().stdout() + none.stderr();
    assertTrue(all.contains("no GPU"), all);
    assertTrue(all.contains("main-ran"), all);
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = RuntimeEndToEndTest.class.getResourceAsStream("/" + name)) {
      return in.readAllBytes();
    }
  }

  private boolean anyLayerContains(String text) throws IOException {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    for (ImageLayer layer :
        OciLayoutReader.open(dir.resolve("layout")).image(name + ":latest").layers()) {
      try (InputStream in = new GZIPInputStream(layer.source().open())) {
        if (indexOf(in.readAllBytes(), needle) >= 0) {
          return true;
        }
      }
    }
    return false;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
