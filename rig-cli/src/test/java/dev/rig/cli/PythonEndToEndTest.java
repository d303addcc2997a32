package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.oci.image.Descriptor;
import dev.rig.oci.layout.OciLayoutReader;
import dev.rig.testkit.BinaryTestWheel;
import dev.rig.testkit.Exec;
import dev.rig.testkit.LocalRegistry;
import dev.rig.testkit.Podman;
import dev.rig.testkit.SshCommand;
import dev.rig.testkit.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Python venv from wheels served by a local index, built into a Debian image (python3 and
 * python3-venv) that podman runs with no network: the console script, a platform wheel's native
 * library and pip work, SSH sessions find the venv first on PATH. A user's hashed lock is recorded
 * in rig.lock with credential-free URLs; index credentials (from the environment) are sent but
 * never printed or stored; a 503 is retried; two caches give one digest; a tampered wheel is
 * refused and discarded; a lock without hashes is refused with the fix; changing a small
 * requirement keeps the large wheel's layer.
 */
class PythonEndToEndTest {
  private static final String TOKEN = "tok-" + UUID.randomUUID();

  @TempDir Path dir;

  private final String name = "py-" + UUID.randomUUID().toString().substring(0, 8);

  private static BinaryTestWheel hello() {
    return BinaryTestWheel.of("hello-rig", "1.0")
        .file("hello_rig/__init__.py", "def main():\n    print('hello from the venv')\n")
        .consoleScript("hello-rig", "hello_rig:main");
  }

  /**
   * A wheel with a real CPython extension module, built here by gcc against the host's Python
   * headers with the limited API, so the one binary imports in the image's newer Python (abi3).
   */
  private BinaryTestWheel fastmath() throws IOException {
    Path source = dir.resolve("fast.c");
    Files.writeString(
        source,
        String.join(
            "\n",
            "#define Py_LIMITED_API 0x03080000",
            "#include <Python.h>",
            "static PyObject *add(PyObject *self, PyObject *args) {",
            "  long a, b;",
            "  if (!PyArg_ParseTuple(args, \"ll\", &a, &b)) return NULL;",
            "  return PyLong_FromLong(a + b);",
            "}",
            "static PyMethodDef methods[] = {",
            "  {\"add\", add, METH_VARARGS, \"Adds two integers.\"}, {NULL, NULL, 0, NULL}};",
            "static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, \"_fast\", NULL, -1,"
                + " methods};",
            "PyMODINIT_FUNC PyInit__fast(void) { return PyModule_Create(&module); }",
            ""));
    Path library = dir.resolve("_fast.abi3.so");
    Exec.run(
            List.of(
                "gcc",
                "-shared",
                "-fPIC",
                "-O2",
                "-I" + pythonHeaders(),
                "-o",
                library.toString(),
                source.toString()))
        .ok();
    return BinaryTestWheel.tagged("fastmath", "1.0", "cp38-abi3-manylinux_2_17_x86_64")
        .file("fastmath/_fast.abi3.so", Files.readAllBytes(library))
        .file("fastmath/__init__.py", "from fastmath._fast import add\n");
  }

  /** The host's CPython headers (Debian's python3-dev), for the extension module above. */
  private static String pythonHeaders() {
    Exec.Result include =
        Exec.run(
            List.of(
                "/usr/bin/python3",
                "-c",
                "import sysconfig; print(sysconfig.get_path('include'))"));
    String path = include.ok().stdout().strip();
    assertTrue(
        Files.isRegularFile(Path.of(path, "Python.h")),
        "no Python.h in " + path + ": install python3-dev (scripts/setup lists it)");
    return path;
  }

  /** Larger than the large-wheel threshold once unpacked: it gets a layer of its own. */
  private static BinaryTestWheel big() {
    byte[] data = new byte[33 * 1024 * 1024];
    new Random(16).nextBytes(data);
    return BinaryTestWheel.of("bigmodel", "1.0")
        .file("bigmodel/__init__.py", "SIZE = 33\n")
        .file("bigmodel/weights.bin", data);
  }

  private static BinaryTestWheel small(String version) {
    return BinaryTestWheel.of("smallutil", version)
        .file("smallutil/__init__.py", "VERSION = '" + version + "'\n");
  }

  private static String pin(String name, String version, String sha) {
    return name + "==" + version + " \\\n    --hash=sha256:" + sha + "\n";
  }

  /** The spec, with {@code source} as the python section's requirement source (YAML lines). */
  private Path spec(AuthWheelIndex index, String source, int sshPort) throws IOException {
    String url = index.url().replace("http://", "http://${IDX_USER}:${IDX_TOKEN}@");
    Path file = dir.resolve("rig.yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "images:",
            "  " + name + ":",
            "    environment: { core: false, network: false, shell: false }",
            "    cuda: { enable: false }",
            "    runtime: { sshd: { port: " + sshPort + ", listenAddress: 127.0.0.1 } }",
            "    python:",
            "      " + source,
            "      indexUrl: \"" + url + "\"",
            ""));
    return file;
  }

  private Exec.Result rig(Path cache, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
    command.add(args[0]);
    command.addAll(List.of("--cache", cache.toString()));
    command.addAll(List.of(args).subList(1, args.length));
    long start = System.nanoTime();
    Exec.Result result =
        Exec.run(
            command,
            Map.of("IDX_USER", "builder", "IDX_TOKEN", TOKEN, "RIG_NET_ATTEMPTS", "4"),
            dir,
            Duration.ofMinutes(8));
    System.out.printf(
        "rig %s (%s): %d ms%n",
        args[0], cache.getFileName(), (System.nanoTime() - start) / 1_000_000);
    return result;
  }

  private static String digestOf(Exec.Result build) {
    assertEquals(0, build.exitCode(), build.describe());
    return build.stdout().strip().split(" ")[1];
  }

  @Test
  void aLockedVenvRunsIsReproducibleVerifiedAndLayered() throws Exception {
    Tools.require("bwrap", "bubblewrap");
    Tools.require("gcc", "gcc");
    Tools.require("ssh", "openssh-client");
    try (AuthWheelIndex index = AuthWheelIndex.start();
        LocalRegistry registry = LocalRegistry.start(dir.resolve("registry"))) {
      String repo = registry.host() + "/py/" + name;
      index.requireBasic("builder", TOKEN);
      String helloSha = index.add(hello());
      String fastSha = index.add(fastmath());
      String bigSha = index.add(big());
      String small1 = index.add(small("1.0"));
      String small2 = index.add(small("2.0"));
      index.failNext("/files/" + hello().fileName(), 2);
      Files.writeString(
          dir.resolve("requirements.lock"),
          "# written like pip-compile --generate-hashes\n"
              + pin("hello-rig", "1.0", helloSha)
              + pin("fastmath", "1.0", fastSha)
              + pin("bigmodel", "1.0", bigSha)
              + pin("smallutil", "1.0", small1));
      int sshPort = LocalRegistry.freePort();
      Path spec = spec(index, "lockFile: requirements.lock", sshPort);

      // Cache A: the cache the other end-to-end tests share: its install stages (Debian's
      // Essential set, apt and rig-init's packages, as DocsCommandsTest's image has them) and the
      // linked Java are reused when they are there, so this test installs python3 and
      // python3-venv only.
      Path cacheA = RigRun.sharedCache();
      Files.createDirectories(cacheA);
      // This test's wheels and venvs, left by an earlier run, would spare the downloads it checks.
      for (String sha : List.of(helloSha, fastSha, bigSha, small1, small2)) {
        Files.deleteIfExists(cacheA.resolve("wheels").resolve(sha + ".whl"));
      }
      Exec.run(List.of("rm", "-rf", cacheA.resolve("venvs").toString())).ok();
      Path layoutA = dir.resolve("layout-a");
      long t0 = System.nanoTime();
      Exec.Result first = rig(cacheA, "build", "-f", spec.toString(), "--out", "oci:" + layoutA);
      String digest = digestOf(first);
      System.out.printf("python image, cold venv: %d ms%n", (System.nanoTime() - t0) / 1_000_000);

      // Credentials went to the index, never to the output, rig.lock or the cache.
      assertTrue(
          index.requests().stream()
              .anyMatch(r -> r.path().startsWith("/files/") && r.status() == 200),
          index.requests().toString());
      assertTrue(
          index.requests().stream().filter(r -> r.status() == 503).count() == 2,
          "the 503s were retried: " + index.requests());
      String lock = Files.readString(dir.resolve("rig.lock"));
      assertFalse((first.stdout() + first.stderr() + lock).contains(TOKEN), first.describe());
      assertFalse(lock.contains("builder"), lock);
      assertFalse(containsBytes(cacheA, TOKEN), "the token is somewhere in the cache");
      JsonNode wheels = new ObjectMapper().readTree(lock).path("wheels").path(name).path("wheels");
      assertEquals(4, wheels.size(), lock);
      for (JsonNode w : wheels) {
        assertTrue(w.path("sha256").asText().matches("[0-9a-f]{64}"), lock);
        assertTrue(
            w.path("url").asText().startsWith(index.url().replace("/simple", "/files/")), lock);
      }

      // A second cache with the same packages but no wheels or venvs gives the same image.
      Path cacheB = dir.resolve("cache-b");
      Files.createDirectories(cacheB);
      for (String kind : List.of("stages", "java", "indexes")) {
        copyLinked(cacheA.resolve(kind), cacheB.resolve(kind));
      }
      assertEquals(
          digest,
          digestOf(
              rig(
                  cacheB,
                  "build",
                  "-f",
                  spec.toString(),
                  "--out",
                  "oci:" + dir.resolve("layout-b"))));

      Path archive = dir.resolve("image.tar");
      t0 = System.nanoTime();
      digestOf(rig(cacheA, "build", "-f", spec.toString(), "--out", "docker-archive:" + archive));
      System.out.printf("python image, warm: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      Podman podman = Podman.create(dir.resolve("podman"));
      String ref = "localhost/" + name + ":latest";
      try {
        podman.run("load", "-i", archive.toString()).ok();
        // The reference: the image's own pip installing the same wheels into a fresh venv.
        Path wheelDir = Files.createDirectories(dir.resolve("wheels"));
        for (BinaryTestWheel w : List.of(hello(), fastmath(), big(), small("1.0"))) {
          Files.write(wheelDir.resolve(w.fileName()), w.bytes());
        }
        Exec.Result pip =
            podman.run(
                Duration.ofMinutes(2),
                "run",
                "--rm",
                "--network",
                "none",
                "-v",
                wheelDir + ":/w:ro",
                "--entrypoint",
                "/bin/sh",
                ref,
                "-c",
                "t0=$(date +%s%N); /usr/bin/python3 -m venv /tmp/ref && /tmp/ref/bin/pip install -q"
                    + " --no-index --no-deps /w/*.whl && echo pip-ms $(( ($(date +%s%N) - t0)"
                    + " / 1000000 ))");
        System.out.println(
            "reference, venv + pip install of the same wheels: " + pip.stdout().strip());
        Exec.Result checks =
            podman.run(
                Duration.ofMinutes(2),
                "run",
                "--rm",
                "--network",
                "none",
                "--entrypoint",
                "/bin/sh",
                ref,
                "-c",
                String.join(
                    "; ",
                    "hello-rig",
                    "python -c 'import fastmath; print(\"fast\", fastmath.add(2, 3))'",
                    "echo which $(command -v python)",
                    "python -m pip list --format=freeze 2>/dev/null | sort",
                    "ls /opt/venv/lib/python3*/site-packages/smallutil/__pycache__"));
        String out = checks.ok().stdout();
        assertTrue(out.contains("hello from the venv"), checks.describe());
        assertTrue(out.contains("fast 5"), checks.describe());
        assertTrue(out.contains("which /opt/venv/bin/python"), checks.describe());
        for (String pinned :
            List.of("bigmodel==1.0", "fastmath==1.0", "hello-rig==1.0", "smallutil==1.0")) {
          assertTrue(out.contains(pinned), "pip list: " + out);
        }
        assertTrue(out.contains("__init__.cpython-313.pyc"), checks.describe());

        // An SSH session (rig-init's sshd) finds the venv first on PATH.
        Path key = dir.resolve("key");
        Exec.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())).ok();
        String container = name + "-ssh";
        podman
            .run(
                "run",
                "-d",
                "--name",
                container,
                "--network",
                "host",
                "-e",
                "SSH_PUBLIC_KEY=" + Files.readString(dir.resolve("key.pub")).strip(),
                ref)
            .ok();
        try {
          Exec.Result session = null;
          long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
          while (System.nanoTime() < deadline) {
            session = Exec.run(SshCommand.asRoot(sshPort, key, 2, "command -v python; hello-rig"));
            if (session.exitCode() == 0) {
              break;
            }
            Thread.sleep(150);
          }
          assertEquals(0, session.exitCode(), session.describe());
          assertTrue(session.stdout().startsWith("/opt/venv/bin/python"), session.describe());
          assertTrue(session.stdout().contains("hello from the venv"), session.describe());
        } finally {
          podman.run("rm", "-f", container);
        }
      } finally {
        podman.run("rmi", "-f", ref);
      }

      // A tampered wheel is refused and its bytes discarded.
      index.tamper(
          small("1.0").fileName(), small("1.0").file("smallutil/evil.py", "X=1\n").bytes());
      Path cacheC = dir.resolve("cache-c");
      Files.createDirectories(cacheC);
      for (String kind : List.of("stages", "java", "indexes")) {
        copyLinked(cacheA.resolve(kind), cacheC.resolve(kind));
      }
      Exec.Result tampered =
          rig(cacheC, "build", "-f", spec.toString(), "--out", "oci:" + dir.resolve("layout-c"));
      assertEquals(1, tampered.exitCode(), tampered.describe());
      assertTrue(tampered.stderr().contains("refused and discarded"), tampered.describe());
      assertFalse(Files.exists(cacheC.resolve("wheels").resolve(small1 + ".whl")));
      index.add(small("1.0"));

      // The image as it is now goes to a registry, so the re-push below can be counted.
      JsonNode firstPush =
          pushed(rig(cacheA, "push", "-f", spec.toString(), "--to", repo + ":1", "--json"));
      assertTrue(firstPush.path("blobsUploaded").asInt() > 2, firstPush.toString());

      // A small requirement changes, now as requirements rig's resolver locks: with --locked the
      // stale lock is refused; without, the large wheel's layer keeps its digest.
      spec(index, "requirements: [hello-rig==1.0, fastmath, bigmodel, \"smallutil>=2\"]", sshPort);
      Exec.Result stale =
          rig(
              cacheA,
              "build",
              "--locked",
              "-f",
              spec.toString(),
              "--out",
              "oci:" + dir.resolve("x"));
      assertEquals(1, stale.exitCode(), stale.describe());
      assertTrue(stale.stderr().contains("requirement added or changed"), stale.describe());
      Path layoutD = dir.resolve("layout-d");
      String changed =
          digestOf(rig(cacheA, "build", "-f", spec.toString(), "--out", "oci:" + layoutD));
      assertNotEquals(digest, changed);
      List<Descriptor> before =
          OciLayoutReader.open(layoutA).image(name + ":latest").manifest().layers();
      List<String> after =
          OciLayoutReader.open(layoutD).image(name + ":latest").manifest().layers().stream()
              .map(d -> d.digest().toString())
              .toList();
      Descriptor largest =
          before.stream().max(java.util.Comparator.comparingLong(Descriptor::size)).orElseThrow();
      assertTrue(largest.size() > 30_000_000, "the big wheel's layer: " + largest);
      assertTrue(after.contains(largest.digest().toString()), "the big wheel's layer changed");
      long kept = before.stream().filter(d -> after.contains(d.digest().toString())).count();
      System.out.printf("changing smallutil kept %d of %d layers%n", kept, before.size());
      assertEquals(before.size() - 1, kept, "only the small wheels' layer changes");
      // The re-push uploads that one layer and the config; every other layer is already there.
      JsonNode rePush =
          pushed(rig(cacheA, "push", "-f", spec.toString(), "--to", repo + ":2", "--json"));
      System.out.printf("re-push after changing smallutil: %s%n", rePush);
      assertEquals(2, rePush.path("blobsUploaded").asInt(), rePush.toString());
      assertEquals(before.size() - 1, rePush.path("blobsSkipped").asInt(), rePush.toString());

      // A lock without hashes is refused, with the commands that write a full one.
      Files.writeString(dir.resolve("requirements.lock"), "smallutil==2.0\n");
      spec(index, "lockFile: requirements.lock", sshPort);
      Exec.Result unhashed =
          rig(cacheA, "build", "-f", spec.toString(), "--out", "oci:" + dir.resolve("y"));
      assertEquals(1, unhashed.exitCode(), unhashed.describe());
      assertTrue(unhashed.stderr().contains("has no --hash"), unhashed.describe());
      assertTrue(unhashed.stderr().contains("pip-compile --generate-hashes"), unhashed.describe());
    }
  }

  /** The one image a {@code rig push --json} pushed. */
  private static JsonNode pushed(Exec.Result push) throws IOException {
    assertEquals(0, push.exitCode(), push.describe());
    JsonNode images = new ObjectMapper().readTree(push.stdout()).path("pushed");
    assertEquals(1, images.size(), push.describe());
    return images.get(0);
  }

  private static void copyLinked(Path from, Path to) throws IOException {
    if (Files.isDirectory(from) && !Files.exists(to)) {
      Exec.run(List.of("cp", "-al", from.toString(), to.toString())).ok();
    }
  }

  /**
   * Whether any small file of the cache that holds what a build read or wrote about the venv
   * (evaluated specs, wheels, venvs, usage records) holds {@code text}.
   */
  private static boolean containsBytes(Path cache, String text) throws IOException {
    try (Stream<Path> walk = Files.walk(cache)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        String relative = cache.relativize(file).toString();
        if (Stream.of("stages/", "debs/", "unpacked/", "blobs/", "layers/", "java/", "indexes/")
                .anyMatch(relative::startsWith)
            || Files.size(file) > 4_000_000) {
          continue;
        }
        if (new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(text)) {
          return true;
        }
      }
    }
    return false;
  }
}
