package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.oci.compress.Compression;
import dev.rig.oci.image.ImageLayer;
import dev.rig.oci.layout.LayoutImage;
import dev.rig.oci.layout.OciLayoutReader;
import dev.rig.testkit.Exec;
import dev.rig.testkit.HermeticRepo;
import dev.rig.testkit.LocalRegistry;
import dev.rig.testkit.Podman;
import dev.rig.testkit.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packages installed on top of a base image ({@code from}), the way a Dockerfile user adds {@code
 * apt-get install} to {@code FROM}: on a Debian base rig built and pushed to a local registry, and
 * on one made by mmdebstrap and umoci. The result runs under podman with the base's packages and
 * the added ones in one dpkg database that apt finds consistent; the base's layers are the image's
 * first layers, unchanged, and a push to the base's registry mounts them; a maintainer script that
 * deletes a base file leaves a whiteout; two caches give one digest, and a locked build needs no
 * mirror.
 */
class PackagesOnBaseTest {
  /** {@code REF@DIGEST uploaded N blob(s), SIZE, M mounted, K already there (TIME)}. */
  private static final Pattern PUSHED =
      Pattern.compile(
          "\\S+@(sha256:[0-9a-f]{64})  uploaded (\\d+) blob\\(s\\), [^,]+, (\\d+) mounted.*");

  @TempDir Path dir;

  private final String suffix = UUID.randomUUID().toString().substring(0, 8);

  /** A package whose postinst deletes a file every Debian base has (base-files' /etc/issue.net). */
  private HermeticRepo remover() throws IOException {
    return HermeticRepo.build(
        dir.resolve("repo"),
        "stable",
        List.of(
            HermeticRepo.Deb.of("base-file-remover", "1.0", "all")
                .withControlFile("postinst", "#!/bin/sh\nset -e\nrm -f /etc/issue.net\n")));
  }

  static String common() {
    // Only what the test names: no default tool sets, no CUDA, no rig-init.
    return packagesOnly() + "    runtime: { enable: false }\n";
  }

  private static String packagesOnly() {
    return "    environment: { core: false, network: false, shell: false }\n"
        + "    cuda: { enable: false }\n";
  }

  private Path top(String from, HermeticRepo repo, String more) throws IOException {
    return top(from, repo, common(), more);
  }

  private Path top(String from, HermeticRepo repo, String parts, String more) throws IOException {
    Path file = Files.createDirectories(dir.resolve("top-" + suffix)).resolve("rig.yaml");
    Files.writeString(
        file,
        "images:\n  top-"
            + suffix
            + ":\n    from: \""
            + from
            + "\"\n    packages: [jq, base-file-remover]\n"
            + "    repositories:\n"
            + "      - uri: \""
            + repo.uri()
            + "\"\n        suites: [stable]\n        signedBy: \""
            + repo.keyring()
            + "\"\n"
            + parts
            + more);
    return file;
  }

  /** rig's own Debian base (Essential, apt, hello), pushed to a registry both tests share. */
  @TempDir static Path shared;

  private static LocalRegistry registry;
  private static List<String> baseLayers;
  private static Path baseLock;

  @BeforeAll
  static void pushRigBase() throws IOException {
    Tools.require("bwrap", "bubblewrap");
    Tools.require("skopeo", "skopeo");
    registry = LocalRegistry.start(shared.resolve("registry"));
    Path base = Files.createDirectories(shared.resolve("base")).resolve("rig.yaml");
    Files.writeString(
        base,
        "images:\n  base:\n    tag: \"1\"\n    packages: [hello]\n    maxLayers: 6\n"
            + common()
            + "    registries: ["
            + registry.host()
            + "/h17/base]\n");
    RigRun.withCache(RigRun.sharedCache(), List.of("push", "-f", base.toString())).ok();
    baseLayers = layerDigests(registry.host() + "/h17/base:1");
    baseLock = base.resolveSibling("rig.lock");
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void packagesOnARigBuiltBaseFromARegistry() throws Exception {
    HermeticRepo repo = remover();
    Path cacheA = RigRun.sharedCache();
    Path top =
        top(
            registry.host() + "/h17/base:1",
            repo,
            "    registries: [" + registry.host() + "/h17/top]\n");
    RigRun pushed = RigRun.withCache(cacheA, List.of("push", "-f", top.toString())).ok();
    assertTrue(
        pushed.stderr().contains("base: Debian GNU/Linux 13 (trixie), ")
            && pushed.stderr().contains(" packages installed; has already apt "),
        pushed.describe());
    Matcher push = PUSHED.matcher(pushed.stdout().strip());
    assertTrue(push.matches(), pushed.describe());
    String digest = push.group(1);
    List<String> topLayers = layerDigests(registry.host() + "/h17/top:latest");
    assertEquals(baseLayers, topLayers.subList(0, baseLayers.size()), "base layers come first");
    // Every base layer is mounted from the base's repository; only the new layers (packages and
    // rig's home) and the config are uploaded.
    assertEquals(baseLayers.size(), Integer.parseInt(push.group(3)), pushed.stdout());
    assertEquals(
        topLayers.size() - baseLayers.size() + 1, Integer.parseInt(push.group(2)), pushed.stdout());
    String lock = Files.readString(top.resolveSibling("rig.lock"));
    assertTrue(lock.contains("\"base\" : \"") && lock.contains("\"jq\""), lock);

    // A second cache (its .debs linked over, to spare the mirror) gives the same image.
    Path cacheB = dir.resolve("cache-b");
    Files.createDirectories(cacheB);
    Exec.run(List.of("cp", "-al", cacheA.resolve("debs").toString(), cacheB.toString())).ok();
    Path layoutB = dir.resolve("layout-b");
    RigRun fromB =
        RigRun.withCache(cacheB, List.of("build", "-f", top.toString(), "--out", "oci:" + layoutB))
            .ok();
    assertTrue(fromB.stdout().contains(digest), fromB.describe() + "\nexpected " + digest);
    assertWhiteout(layoutB, "/etc/.wh.issue.net");

    // Locked, with the Debian mirror on a closed loopback port: nothing needs it.
    int closed = LocalRegistry.freePort();
    List<String> offline = new ArrayList<>(javaCommand());
    offline.addAll(
        List.of(
            "build",
            "--locked",
            "--cache",
            cacheB.toString(),
            "-f",
            top.toString(),
            "-q",
            "--out",
            "oci:" + dir.resolve("layout-offline")));
    Exec.Result cut =
        Exec.run(
            offline,
            Map.of("RIG_DEBIAN_MIRROR", "http://127.0.0.1:" + closed + "/debian"),
            dir,
            Duration.ofMinutes(3));
    assertEquals(0, cut.exitCode(), cut.describe());
    assertTrue(cut.stdout().contains(digest), cut.describe());

    runs(cacheB, top, "top-" + suffix, "true");
  }

  /**
   * rig's runtime on the same base, added the way packages are: rig-init, tini and sshd (what the
   * base has of their dependencies is used as it is, and the build says so) and a service of the
   * spec's, all running.
   */
  @Test
  void theRuntimeAndAServiceOnTheRigBuiltBase() throws Exception {
    HermeticRepo repo = remover();
    Path spec =
        top(
            registry.host() + "/h17/base:1",
            repo,
            packagesOnly()
                + "    runtime:\n      sshd: { port: "
                + LocalRegistry.freePort()
                + ", listenAddress: 127.0.0.1 }\n"
                + "      services:\n        marker:\n"
                + "          command: [sh, -c, \"touch /tmp/service-ran; exec sleep 100000\"]\n",
            "");
    String out =
        runs(
            RigRun.sharedCache(),
            spec,
            "top-" + suffix,
            // The service runs beside the command (a bounded wait: both start at once).
            "for i in $(seq 1 50); do test -e /tmp/service-ran && echo service-ran && break;"
                + " sleep 0.1; done");
    // rig-init ran the command as the image's main process, under tini, with sshd.
    assertTrue(out.contains("pkg tini") && out.contains("pkg openssh-server"), out);
    assertTrue(out.contains("rig-init: main: exited with code 0"), out);
    assertTrue(out.contains("service-ran"), out);
  }

  /**
   * A base made by another tool: mmdebstrap (from the same .debs as rig's base, served as a local
   * repository, so nothing is downloaded) into a tarball that umoci adds to an OCI layout as its
   * only layer, used as {@code from = "oci:DIR:base"}.
   */
  @Test
  void packagesOnAnMmdebstrapBase() throws Exception {
    Path mmdebstrap = Tools.require("mmdebstrap", "mmdebstrap");
    Path umoci = Tools.require("umoci", "umoci");
    HermeticRepo repo = remover();
    List<Path> debs = new ArrayList<>();
    for (JsonNode p :
        new ObjectMapper()
            .readTree(baseLock.toFile())
            .path("images")
            .path("base")
            .path("packages")) {
      debs.add(RigRun.sharedCache().resolve("debs").resolve(p.path("sha256").asText() + ".deb"));
    }
    HermeticRepo local = HermeticRepo.ofDebFiles(dir.resolve("mirror"), "trixie", debNamed(debs));
    Path tarball = dir.resolve("rootfs.tar");
    Exec.run(
            List.of(
                mmdebstrap.toString(),
                "--quiet",
                "--variant=apt",
                "--mode=root",
                "--dpkgopt=force-unsafe-io",
                "trixie",
                tarball.toString(),
                // The .debs are rig's verified ones; how mmdebstrap checks its own sources is not
                // under test.
                "deb [trusted=yes] copy://" + local.root() + " trixie main"),
            Map.of(),
            dir,
            Duration.ofMinutes(3))
        .ok();
    Path layout = dir.resolve("mm-layout");
    Exec.run(List.of(umoci.toString(), "init", "--layout", layout.toString())).ok();
    Exec.run(List.of(umoci.toString(), "new", "--image", layout + ":base")).ok();
    Exec.run(
            List.of(
                umoci.toString(),
                "raw",
                "add-layer",
                "--image",
                layout + ":base",
                tarball.toString()))
        .ok();
    Files.delete(tarball);

    Path top = top("oci:" + layout + ":base", repo, "");
    Path layoutOut = dir.resolve("top-layout");
    RigRun built =
        RigRun.withCache(
                RigRun.sharedCache(),
                List.of("build", "-f", top.toString(), "--out", "oci:" + layoutOut))
            .ok();
    assertTrue(built.stderr().contains("base: Debian GNU/Linux 13 (trixie), "), built.describe());
    OciLayoutReader base = OciLayoutReader.open(layout);
    List<String> baseDigests =
        base.image("base").layers().stream().map(l -> l.blob().digest().toString()).toList();
    OciLayoutReader out = OciLayoutReader.open(layoutOut);
    List<String> topDigests =
        out.image(out.refNames().get(0)).layers().stream()
            .map(l -> l.blob().digest().toString())
            .toList();
    assertEquals(baseDigests, topDigests.subList(0, baseDigests.size()), "base layers come first");
    assertWhiteout(layoutOut, "/etc/.wh.issue.net");
    runs(RigRun.sharedCache(), top, "top-" + suffix, "true");
  }

  /** The .debs linked under their Debian names (rig's cache names them by hash). */
  private List<Path> debNamed(List<Path> debs) throws IOException {
    Path named = Files.createDirectories(dir.resolve("named"));
    List<Path> out = new ArrayList<>();
    for (Path deb : debs) {
      String name =
          Exec.run(
                  List.of(
                      "dpkg-deb",
                      "--showformat=${Package}_${Version}_${Architecture}",
                      "-W",
                      deb.toString()))
              .ok()
              .stdout()
              .strip()
              .replace(':', '%');
      Path link = named.resolve(name + ".deb");
      Files.createLink(link, deb);
      out.add(link);
    }
    return out;
  }

  /** The image runs: base and added packages in one database, apt content, the file gone. */
  private String runs(Path cache, Path spec, String image, String more) throws IOException {
    Path archive = dir.resolve(image + ".tar");
    RigRun.withCache(
            cache, List.of("build", "-f", spec.toString(), "--out", "docker-archive:" + archive))
        .ok();
    Podman podman = Podman.create(dir.resolve("podman"));
    String ref = "localhost/" + image + ":latest";
    try {
      podman.run("load", "-i", archive.toString()).ok();
      Exec.Result checks =
          podman.run(
              Duration.ofMinutes(2),
              "run",
              "--rm",
              "--network",
              "none",
              ref,
              "sh",
              "-c",
              String.join(
                  "; ",
                  "dpkg -l | awk '/^ii/ {print \"pkg\", $2}'",
                  "apt-get check -q >/dev/null 2>&1 && echo apt-check-clean",
                  "echo '{\"a\":7}' | jq .a",
                  "test -e /etc/issue.net && echo still-there || echo issue-net-gone",
                  more));
      String out = checks.ok().stdout();
      for (String pkg : List.of("pkg base-files", "pkg dpkg", "pkg jq", "pkg base-file-remover")) {
        assertTrue(out.lines().anyMatch(pkg::equals), pkg + " missing: " + checks.describe());
      }
      assertTrue(out.contains("apt-check-clean"), checks.describe());
      assertTrue(out.lines().anyMatch("7"::equals), checks.describe());
      assertTrue(out.contains("issue-net-gone"), checks.describe());
      return checks.describe();
    } finally {
      podman.run("rmi", "-f", ref);
    }
  }

  private static List<String> layerDigests(String reference) throws IOException {
    JsonNode manifest =
        new ObjectMapper()
            .readTree(
                Exec.run(
                        List.of(
                            "skopeo",
                            "inspect",
                            "--raw",
                            "--tls-verify=false",
                            "docker://" + reference))
                    .ok()
                    .stdout());
    List<String> digests = new ArrayList<>();
    manifest.path("layers").forEach(l -> digests.add(l.path("digest").asText()));
    return digests;
  }

  /** The image's last layer holds {@code whiteout}. */
  private static void assertWhiteout(Path layout, String whiteout) throws IOException {
    OciLayoutReader reader = OciLayoutReader.open(layout);
    LayoutImage image = reader.image(reader.refNames().get(0));
    List<String> names = new ArrayList<>();
    boolean found = false;
    for (ImageLayer layer : image.layers()) {
      try (InputStream in =
              Compression.ofMediaType(layer.blob().mediaType()).decompress(layer.source().open());
          TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
          String name = "/" + e.getName().replaceFirst("^\\./", "").replaceFirst("^/", "");
          if (name.contains(".wh.")) {
            names.add(name);
          }
          found |= name.equals(whiteout);
        }
      }
    }
    assertTrue(found, "no " + whiteout + " in the image; whiteouts: " + names);
  }

  private static List<String> javaCommand() {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp",
        System.getProperty("java.class.path"),
        Main.class.getName());
  }
}
