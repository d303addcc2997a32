package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.oci.image.Descriptor;
import dev.rig.oci.layout.LayoutImage;
import dev.rig.oci.layout.OciLayoutReader;
import dev.rig.testkit.Exec;
import dev.rig.testkit.Podman;
import dev.rig.testkit.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Debian trixie packages, from the mirror this machine's apt uses, installed by rig into an
 * image that podman runs: CA bundle, sshd, dpkg and apt all work; two builds from different caches
 * give one digest; a locked build with a warm cache needs no network; adding a package leaves the
 * other package layers as they were. Its SBOM lists exactly rig.lock's packages, the same bytes
 * from both caches.
 */
class PackagesEndToEndTest {
  @TempDir Path dir;

  private final String name = "pk-" + UUID.randomUUID().toString().substring(0, 8);
  private final int sshPort = freePort();

  private static int freePort() {
    try {
      return dev.rig.testkit.LocalRegistry.freePort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Path spec(String packages) throws IOException {
    Path file = dir.resolve("rig.yaml");
    Files.writeString(
        file,
        "images:\n  "
            + name
            + ":\n    packages: ["
            + packages
            + "]\n    slim: { docs: true, manPages: true }\n"
            // Only what the test names: no default tool sets, no CUDA libraries.
            + "    environment: { core: false, network: false, shell: false }\n"
            + "    cuda: { enable: false }\n"
            // rig-init's sshd stays on loopback, on a port nothing else uses.
            + "    runtime: { sshd: { port: "
            + sshPort
            + ", listenAddress: 127.0.0.1 } }\n");
    return file;
  }

  private static LayoutImage image(Path layout, String ref) throws IOException {
    return OciLayoutReader.open(layout).image(ref);
  }

  private String build(Path cache, Path spec, String out) {
    RigRun run =
        RigRun.withCache(cache, List.of("build", "-f", spec.toString(), "--out", out)).ok();
    return run.stdout().strip().split(" ")[1];
  }

  @Test
  void aDebianImageWorksIsReproducibleAndLayeredBySourcePackage() throws Exception {
    Tools.require("bwrap", "bubblewrap");
    Path unshare = Tools.require("unshare", "util-linux");
    Path specFile = spec("openssh-server, python3, curl, ca-certificates");
    Path cacheA = dir.resolve("cache-a");
    Path layoutA = dir.resolve("layout-a");
    // --json of a package build says what each phase cost.
    RigRun first =
        RigRun.withCache(
                cacheA,
                List.of("build", "-f", specFile.toString(), "--out", "oci:" + layoutA, "--json"))
            .ok();
    JsonNode json = new ObjectMapper().readTree(first.stdout());
    String digest = json.path("images").get(0).path("digest").asText();
    Map<String, JsonNode> phases = new LinkedHashMap<>();
    // rig-init's Java (a JDK unpacked beside the image and linked) runs beside the image's
    // install, with phases of its own scope: the image's own are those of the other scopes.
    Map<String, JsonNode> javaPhases = new LinkedHashMap<>();
    json.path("phases")
        .forEach(
            p ->
                (p.path("scope").asText().endsWith(" (rig-init's Java)") ? javaPhases : phases)
                    .putIfAbsent(p.path("phase").asText(), p));
    assertEquals(
        List.of("spec", "resolve", "download", "unpack", "install", "layers", "export"),
        List.copyOf(phases.keySet()),
        first.stdout());
    assertEquals(
        List.of("resolve", "download", "unpack", "install"),
        List.copyOf(javaPhases.keySet()),
        first.stdout());
    assertTrue(phases.get("download").path("bytes").asLong() > 1_000_000, first.stdout());
    assertTrue(phases.get("install").path("seconds").asDouble() > 0, first.stdout());
    assertTrue(phases.get("install").path("count").asInt() > 50, first.stdout());
    assertTrue(Files.isRegularFile(dir.resolve("rig.lock")), "the first build writes rig.lock");
    // Without SOURCE_DATE_EPOCH the image says when its packages were current: the newest Release
    // date rig.lock records (not 1970, which made images look "56 years" old).
    String newest = "";
    for (JsonNode index :
        new ObjectMapper().readTree(dir.resolve("rig.lock").toFile()).findValues("indexes")) {
      for (JsonNode i : index) {
        String date = i.path("date").asText("");
        newest = date.compareTo(newest) > 0 ? date : newest;
      }
    }
    assertTrue(newest.startsWith("20"), "rig.lock records the Release dates: " + newest);
    String created =
        new ObjectMapper()
            .readTree(
                Exec.run(
                        List.of(
                            "skopeo",
                            "inspect",
                            "--config",
                            "oci:"
                                + layoutA
                                + ":"
                                + json.path("images").get(0).path("reference").asText()))
                    .ok()
                    .stdout())
            .path("created")
            .asText();
    assertEquals(Instant.parse(newest), Instant.parse(created), created);

    // A fresh cache (the .debs copied over to spare the mirror) gives the same image.
    Path cacheB = dir.resolve("cache-b");
    Files.createDirectories(cacheB);
    Exec.run(List.of("cp", "-a", cacheA.resolve("debs").toString(), cacheB.toString())).ok();
    assertEquals(digest, build(cacheB, specFile, "oci:" + dir.resolve("layout-b")));
    // Both builds wrote the same SBOM, which lists exactly rig.lock's packages, and rig-init.
    JsonNode sbom =
        SbomAssertions.listsExactlyTheLockedPackages(layoutA, name, dir.resolve("rig.lock"));
    SbomAssertions.sameBytes(layoutA, dir.resolve("layout-b"), name);
    Set<String> sbomPackages = new TreeSet<>();
    sbom.path("packages").forEach(p -> sbomPackages.add(p.path("name").asText()));
    assertTrue(sbomPackages.containsAll(List.of("rig-init", "rig-init-java", "openssh-server")));
    assertTrue(
        sbom.toString().contains("built from source package openssh "),
        "openssh-server's source package");

    // With the lock and a warm cache the build needs no network at all.
    List<String> offline = new ArrayList<>();
    offline.addAll(List.of(unshare.toString(), "--net", "--"));
    offline.addAll(javaCommand());
    offline.addAll(
        List.of(
            "build",
            "--cache",
            cacheA.toString(),
            "-f",
            specFile.toString(),
            "-q",
            "--out",
            "oci:" + dir.resolve("layout-offline")));
    Exec.Result cut = Exec.run(offline, Map.of(), dir, Duration.ofMinutes(5));
    assertEquals(0, cut.exitCode(), cut.describe());
    assertTrue(cut.stdout().contains(digest), cut.describe());

    Path archive = dir.resolve("image.tar");
    build(cacheA, specFile, "docker-archive:" + archive);
    Podman podman = Podman.create(dir.resolve("podman"));
    String ref = "localhost/" + name + ":latest";
    try {
      podman.run("load", "-i", archive.toString()).ok();
      Exec.Result checks =
          podman.run(
              Duration.ofMinutes(5),
              "run",
              "--rm",
              ref,
              "sh",
              "-c",
              String.join(
                  "; ",
                  "python3 -c 'import ssl; print(\"certs\", len(ssl.create_default_context()"
                      + ".get_ca_certs()))'",
                  "ssh-keygen -A >/dev/null && mkdir -p /run/sshd && /usr/sbin/sshd -t && echo"
                      + " sshd-ok",
                  "echo dpkg $(dpkg -l | grep -c '^ii')",
                  "dpkg -s openssh-server | grep -q 'Status: install ok installed' && echo"
                      + " ssh-installed",
                  "apt-get update -qq >/dev/null 2>&1; echo tmux-inst $(apt-get install --simulate"
                      + " -qq tmux | grep -c '^Inst tmux')"));
      String out = checks.ok().stdout();
      int certs =
          Integer.parseInt(
              out.lines()
                  .filter(l -> l.startsWith("certs "))
                  .findFirst()
                  .orElseThrow(() -> new AssertionError(checks.describe()))
                  .substring(6)
                  .strip());
      assertTrue(certs > 100, out);
      assertTrue(out.contains("sshd-ok"), checks.describe());
      assertTrue(out.contains("ssh-installed"), checks.describe());
      assertTrue(out.contains("tmux-inst 1"), "apt-get install --simulate tmux: " + out);
    } finally {
      podman.run("rmi", "-f", ref);
    }

    // Adding a package: with --locked the build refuses the stale lock; without, it extends the
    // lock holding every locked package, and the other packages' layers come out byte for byte
    // the same.
    Path bigger = spec("openssh-server, python3, curl, ca-certificates, tmux");
    String lockBefore = Files.readString(bigger.resolveSibling("rig.lock"));
    RigRun stale =
        RigRun.withCache(
            cacheA,
            List.of(
                "build",
                "--locked",
                "-f",
                bigger.toString(),
                "--out",
                "oci:" + dir.resolve("layout-stale")));
    assertEquals(1, stale.exitCode(), stale.describe());
    assertTrue(stale.stderr().contains("package added: tmux"), stale.describe());
    assertTrue(stale.stderr().contains("rig lock"), stale.describe());
    assertEquals(lockBefore, Files.readString(bigger.resolveSibling("rig.lock")));
    Path layoutC = dir.resolve("layout-c");
    build(cacheA, bigger, "oci:" + layoutC);
    List<Descriptor> before = image(layoutA, name + ":latest").manifest().layers();
    Set<String> after =
        image(layoutC, name + ":latest").manifest().layers().stream()
            .map(d -> d.digest().toString())
            .collect(Collectors.toSet());
    long total = before.stream().mapToLong(Descriptor::size).sum();
    long kept =
        before.stream()
            .filter(d -> after.contains(d.digest().toString()))
            .mapToLong(Descriptor::size)
            .sum();
    double fraction = (double) kept / total;
    System.out.printf(
        "adding tmux kept %d of %d layers, %.1f%% of the bytes%n",
        before.stream().filter(d -> after.contains(d.digest().toString())).count(),
        before.size(),
        100 * fraction);
    assertTrue(fraction > 0.9, "only " + fraction + " of the layer bytes were reused");
  }

  /** The java command line that runs rig's CLI with this test's classpath. */
  private static List<String> javaCommand() {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp",
        System.getProperty("java.class.path"),
        Main.class.getName());
  }
}
