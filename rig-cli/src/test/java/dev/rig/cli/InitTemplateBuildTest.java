package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.testkit.Exec;
import dev.rig.testkit.LocalRegistry;
import dev.rig.testkit.Podman;
import dev.rig.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every template, scaffolded by {@code rig init}, builds with {@code rig build} as scaffolded (full
 * CUDA 12.4 set, default tool sets) and its image starts under podman with its own entrypoint
 * (rig-init under tini) and takes an SSH login with the key from PUBLIC_KEY; then the template's
 * own checks, and a clean stop. The only change to a template is a Pkl file amending its rig.pkl to
 * put sshd on a free port of 127.0.0.1, since containers share the host's network here; and
 * auth-key's placeholder secret is replaced by a test key encrypted with age, as its README tells
 * the user to do. All builds share {@link RigRun#sharedCache()}: templates with the same packages
 * share the installed root.
 */
class InitTemplateBuildTest {
  @TempDir Path dir;

  private final String id = UUID.randomUUID().toString().substring(0, 8);
  private final List<String> containers = new ArrayList<>();

  /**
   * Images are removed after the last template: those with the same packages share their layers,
   * which podman then loads once.
   */
  private static final List<String> images = new ArrayList<>();

  @TempDir static Path shared;

  private Podman podman;

  static Stream<String> templates() {
    return InitCommandTest.TEMPLATES.stream();
  }

  @AfterEach
  void removeContainers() {
    if (podman != null) {
      containers.forEach(c -> Container.remove(podman, c));
    }
  }

  @AfterAll
  static void removeImages() {
    if (!images.isEmpty()) {
      Podman podman = Podman.create(shared.resolve("podman"));
      images.forEach(i -> podman.run("rmi", i));
      images.clear();
    }
  }

  @ParameterizedTest
  @MethodSource("templates")
  void templateBuildsAsScaffoldedAndStartsWithSsh(String template) throws Exception {
    Tools.require("bwrap", "bubblewrap");
    Tools.require("ssh", "openssh-client");
    String name = "init-" + template + "-" + id;
    Path project = dir.resolve(template);
    RigRun.of(List.of("init", template, "--dir", project.toString(), "--name", name)).ok();
    int sshPort = LocalRegistry.freePort();
    Path spec = project.resolve("ci.pkl");
    String more = "";
    int webPort = 0;
    if (template.equals("services")) {
      // Containers share the host's network here: the web app on a free port of 127.0.0.1, not
      // 8080 on every address.
      webPort = LocalRegistry.freePort();
      more =
          "      services { [\"web\"] {\n"
              + "        command = new { \"python3\"; \"-m\"; \"http.server\"; \""
              + webPort
              + "\"; \"--bind\"; \"127.0.0.1\"; \"--directory\"; \"/workspace\" }\n"
              + "        readiness { tcpPort = "
              + webPort
              + " }\n      } }\n";
    }
    Files.writeString(spec, DefaultExampleTest.amendment(name, sshPort, more));
    List<String> runArgs = new ArrayList<>();
    String authKey = null;
    if (template.equals("auth-key")) {
      Tools.require("age", "age");
      // As the template's README says: encrypt the auth key to the identity the container gets.
      authKey = "tskey-auth-test-" + UUID.randomUUID();
      Path identity = dir.resolve("age.key");
      Exec.run(List.of("age-keygen", "-o", identity.toString())).ok();
      String recipient =
          Exec.run(List.of("age-keygen", "-y", identity.toString())).ok().stdout().strip();
      Path plain = dir.resolve("authkey.txt");
      Files.writeString(plain, authKey + "\n");
      Path secret = project.resolve("secrets/tailscale-authkey.age");
      Files.delete(secret);
      Exec.run(List.of("age", "-r", recipient, "-o", secret.toString(), plain.toString())).ok();
      Files.delete(plain);
      String key =
          Files.readAllLines(identity).stream()
              .filter(l -> l.startsWith("AGE-SECRET-KEY-"))
              .findFirst()
              .orElseThrow();
      runArgs.addAll(List.of("-e", "RIG_AGE_IDENTITY=" + key));
    }

    long t0 = System.nanoTime();
    Path archive = dir.resolve(template + ".tar");
    RigRun build =
        RigRun.withCache(
                RigRun.sharedCache(),
                List.of("build", "-f", spec.toString(), "--out", "docker-archive:" + archive))
            .ok();
    long buildSeconds = (System.nanoTime() - t0) / 1_000_000_000L;
    assertTrue(Files.isRegularFile(project.resolve("rig.lock")), "the build writes rig.lock");
    String ref = build.stdout().strip().lines().findFirst().orElse("").split("\\s+")[0];
    assertTrue(ref.startsWith(name + ":"), build.describe());

    podman = Podman.create(shared.resolve("podman"));
    long tLoad = System.nanoTime();
    podman.run(Duration.ofMinutes(10), "load", "-i", archive.toString()).ok();
    String image = "localhost/" + ref;
    images.add(image);
    Files.delete(archive);
    long loadSeconds = (System.nanoTime() - tLoad) / 1_000_000_000L;

    SshLogin ssh = SshLogin.newKey(dir, template, sshPort);
    runArgs.addAll(0, List.of("-e", "PUBLIC_KEY=" + ssh.publicKey()));
    String containerName = name;
    containers.add(containerName);
    long tStart = System.nanoTime();
    Container c = Container.start(podman, containerName, image, runArgs);
    ssh.await("true", tStart, Duration.ofSeconds(60), c::deadReason);
    long loginMs = (System.nanoTime() - tStart) / 1_000_000;

    switch (template) {
      case "basic" -> checkBasic(ssh);
      case "services" -> checkServices(ssh, c, webPort);
      case "comfyui-style" -> checkComfyui(ssh, c);
      case "github-registry" -> pushToALocalRegistry(spec, name);
      case "auth-key" -> checkAuthKey(ssh, c, authKey);
      case "custom-home" -> checkCustomHome(ssh);
      default -> throw new AssertionError("no checks for template " + template);
    }
    // Still up after the checks, and it stops cleanly.
    assertEquals(null, c.deadReason());
    long stopMs = c.stopAndExpectExit0();
    System.out.printf(
        "TEMPLATE %s: build %d s, podman load %d s, start -> ssh login %d ms, stop %d ms%n",
        template, buildSeconds, loadSeconds, loginMs, stopMs);
  }

  private static void checkBasic(SshLogin ssh) {
    String out =
        ssh.run(
                String.join(
                    "; ",
                    "echo require=$NVIDIA_REQUIRE_CUDA",
                    "echo caps=$NVIDIA_DRIVER_CAPABILITIES devices=$NVIDIA_VISIBLE_DEVICES",
                    "echo ld=$LD_LIBRARY_PATH cuda=$CUDA_VERSION",
                    "test -e /usr/local/cuda/lib64/libcudart.so.12 && echo cudart-ok",
                    "test -e /usr/local/cuda/lib64/libcublas.so.12 && echo cublas-ok",
                    "grep -q 'include /etc/ld.so.conf.d' /etc/ld.so.conf && echo ldconf-ok",
                    "test -x /sbin/ldconfig && test -f /etc/debian_version && echo toolkit-files-ok",
                    "grep -q PS1= /root/.bashrc && test -f /root/.tmux.conf && echo home-ok",
                    "stat -c %U:%a /root",
                    "for p in tmux rg fzf tini python3 git curl lspci; do command -v $p; done | wc -l"))
            .ok()
            .stdout();
    assertTrue(out.contains("require=cuda>=12.4,driver>=550.54.14"), out);
    assertTrue(out.contains("caps=compute,utility devices=all"), out);
    assertTrue(out.contains("ld=/usr/local/nvidia/lib64:/usr/local/nvidia/lib cuda=12.4"), out);
    for (String ok :
        List.of("cudart-ok", "cublas-ok", "ldconf-ok", "toolkit-files-ok", "home-ok")) {
      assertTrue(out.contains(ok), ok + "\n" + out);
    }
    assertTrue(out.contains("root:700"), out);
    assertEquals("8", out.strip().lines().reduce((a, b) -> b).orElse(""), out);
  }

  private static void checkServices(SshLogin ssh, Container c, int webPort)
      throws InterruptedException {
    // web is ready once its port answers; worker starts after it.
    String status =
        awaitStatus(
            ssh,
            s ->
                row(s, "web").contains("running")
                    && row(s, "web").contains(" yes ")
                    && row(s, "worker").contains("running"),
            Duration.ofSeconds(30));
    System.out.println(status);
    assertTrue(row(status, "web").contains(" yes "), status);
    Exec.Result served =
        ssh.run("curl -sS -o /dev/null -w '%{http_code}' http://127.0.0.1:" + webPort + "/");
    assertEquals("200", served.stdout().strip(), served.describe());
    // logFile = true: web's lines also go to /var/log/rig/web.log.
    c.exec("test -f /var/log/rig/web.log").ok();
  }

  private static void checkComfyui(SshLogin ssh, Container c) throws InterruptedException {
    // The template ships no application (/opt/comfyui/main.py): the service exits and is
    // restarted; sshd and the container stay up, and status says what happens to it.
    String status =
        awaitStatus(
            ssh,
            s -> row(s, "comfyui").matches(".*\\b(backoff|failed)\\b.*"),
            Duration.ofSeconds(30));
    System.out.println(status);
    String comfy = row(status, "comfyui");
    assertFalse(comfy.contains(" yes "), "comfyui cannot be ready without main.py: " + status);
    assertTrue(
        c.log().contains("/opt/comfyui/main.py"), "the log names the missing script:\n" + c.log());
  }

  private void pushToALocalRegistry(Path spec, String name) throws Exception {
    try (LocalRegistry registry = LocalRegistry.start(dir.resolve("registry"))) {
      String to = registry.host() + "/owner/" + name + ":1.0";
      long t0 = System.nanoTime();
      RigRun push =
          RigRun.withCache(
                  RigRun.sharedCache(),
                  List.of("push", "-f", spec.toString(), "--to", to, "--plain-http"))
              .ok();
      System.out.printf(
          "github-registry pushed in %d s: %s%n",
          (System.nanoTime() - t0) / 1_000_000_000L, push.stdout().strip());
      assertTrue(push.stdout().contains(to), push.describe());
      String label =
          Exec.run(
                  List.of(
                      "skopeo",
                      "inspect",
                      "--tls-verify=false",
                      "--format",
                      "{{index .Labels \"org.opencontainers.image.source\"}}",
                      "docker://" + to))
              .ok()
              .stdout()
              .strip();
      assertEquals("https://github.com/owner/" + name, label);
    }
  }

  private static void checkAuthKey(SshLogin ssh, Container c, String authKey) {
    String out =
        ssh.run(
                "stat -c '%a %U' /run/secrets/tailscale-authkey; cat /run/secrets/tailscale-authkey")
            .ok()
            .stdout();
    assertEquals(List.of("400 root", authKey), out.strip().lines().toList(), out);
    // Tailscale is not in Debian and the template leaves its repository commented out: rig-init
    // says so and starts everything else.
    String log = c.log();
    assertTrue(log.contains("/usr/sbin/tailscaled is missing"), log);
  }

  private static void checkCustomHome(SshLogin ssh) {
    String out =
        ssh.run(
                "grep -c gpu= /root/.bash_aliases; grep -c 'name = Your Name' /root/.gitconfig;"
                    + " test -f /root/.config/htop/htoprc && echo htoprc-ok;"
                    + " grep -q bash_aliases /root/.bashrc && echo bashrc-ok;"
                    + " grep -q completion-ignore-case /root/.inputrc && echo inputrc-ok;"
                    + " stat -c %U /root/.gitconfig; command -v htop")
            .ok()
            .stdout();
    assertEquals(
        List.of("1", "1", "htoprc-ok", "bashrc-ok", "inputrc-ok", "root", "/usr/bin/htop"),
        out.strip().lines().toList(),
        out);
  }

  /** Polls {@code rig-init status} in SSH sessions until {@code done} holds; returns the last. */
  private static String awaitStatus(SshLogin ssh, Predicate<String> done, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      last = ssh.run("/usr/lib/rig/rig-init status").ok().stdout();
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("rig-init status did not get there within " + timeout + ":\n" + last);
  }

  /** The status table's row of {@code service}, or "" when there is none. */
  private static String row(String status, String service) {
    return status
        .lines()
        .filter(l -> l.startsWith(service + " "))
        .findFirst()
        .map(l -> l + " ")
        .orElse("");
  }
}
