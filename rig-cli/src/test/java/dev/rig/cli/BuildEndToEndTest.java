package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.testkit.Exec;
import dev.rig.testkit.Podman;
import dev.rig.testkit.SbomConformance;
import dev.rig.testkit.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds an image with the real command line and checks it with the real readers: umoci unpacks it,
 * skopeo inspects every output form, podman loads the docker archive and runs busybox in it with
 * the environment, working directory, user, labels and ports the spec set. Every output carries the
 * image's SBOM, which lists the copied files with their hashes.
 */
class BuildEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path busybox;

  @TempDir Path dir;

  @BeforeAll
  static void tools() {
    busybox = Tools.require("busybox", "busybox-static");
    Tools.require("umoci", "umoci");
    Tools.require("skopeo", "skopeo");
  }

  private Path writeSpec(String name) throws IOException {
    Path project = dir.resolve("project");
    Files.createDirectories(project.resolve("files/conf"));
    Files.writeString(project.resolve("files/conf/app.conf"), "answer = 42\n");
    Files.writeString(project.resolve("files/run.sh"), "#!/bin/busybox sh\necho run\n");
    Files.setPosixFilePermissions(
        project.resolve("files/run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Path spec = project.resolve("rig.pkl");
    Files.writeString(
        spec,
        String.join(
            "\n",
            "amends \"modulepath:/rig/Project.pkl\"",
            "",
            "images {",
            "  [\"" + name + "\"] {",
            "    tag = \"1.0\"",
            "    extraEnv { [\"MODEL_DIR\"] = \"/workspace/models\" }",
            "    extraLabels { [\"org.example.team\"] = \"gpu\" }",
            "    exposedPorts { \"8080/tcp\" }",
            "    user = \"1000:1000\"",
            "    workingDir = \"/srv\"",
            "    cmd { \"/bin/busybox\"; \"sh\" }",
            "    copyToRoot {",
            "      new { source = \""
                + busybox
                + "\"; target = \"/bin/busybox\"; mode = \"0755\" }",
            "      new { source = \"files\"; target = \"/opt/app\" }",
            "    }",
            "  }",
            "}",
            ""));
    return spec;
  }

  @Test
  void everyOutputIsReadByTheReferenceToolsAndRunsUnderPodman() throws IOException {
    String name = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
    Path spec = writeSpec(name);
    Path cache = dir.resolve("cache");
    Path layout = dir.resolve("layout");
    RigRun built = rig(cache, "build", "-f", spec.toString(), "--out", "oci:" + layout);
    String line = built.stdout().strip();
    assertTrue(line.matches(name + ":1\\.0 sha256:[0-9a-f]{64}"), built.describe());
    String digest = line.substring(line.indexOf(' ') + 1);
    // The SBOM lies beside the layout's own files (umoci and skopeo below still read it) and
    // lists each copied file with its hash.
    byte[] spdx = Files.readAllBytes(layout.resolve("sbom/" + name + ".spdx.json"));
    byte[] cdx = Files.readAllBytes(layout.resolve("sbom/" + name + ".cdx.json"));
    JsonNode sbom = JSON.readTree(spdx);
    assertEquals(List.of(), SbomConformance.spdxProblems(sbom));
    assertEquals(List.of(), SbomConformance.cycloneDxProblems(JSON.readTree(cdx)));
    assertEquals(digest, sbom.at("/packages/0/versionInfo").asText());
    Map<String, String> files = new TreeMap<>();
    sbom.path("files")
        .forEach(
            f ->
                files.put(
                    f.path("fileName").asText(), f.at("/checksums/1/checksumValue").asText()));
    assertEquals(sha256(busybox), files.get("./bin/busybox"), files.toString());
    assertEquals(
        sha256(spec.resolveSibling("files/conf/app.conf")),
        files.get("./opt/app/conf/app.conf"),
        files.toString());
    // `rig sbom` prints the same bytes the build wrote.
    assertEquals(
        new String(cdx, StandardCharsets.UTF_8),
        rig(cache, "sbom", "-f", spec.toString(), name, "--format", "cyclonedx").stdout());
    Path written = dir.resolve("written/app.spdx.json");
    rig(cache, "sbom", "-f", spec.toString(), "-o", written.toString());
    assertArrayEquals(spdx, Files.readAllBytes(written));
    RigRun badFormat =
        RigRun.withCache(cache, List.of("sbom", "-f", spec.toString(), "--format", "xml"));
    assertEquals(1, badFormat.exitCode(), badFormat.describe());
    assertTrue(badFormat.stderr().contains("use spdx or cyclonedx"), badFormat.describe());

    // umoci unpacks the layout and finds the files with their modes.
    Path bundle = dir.resolve("bundle");
    Exec.run(
            List.of(
                "umoci",
                "unpack",
                "--rootless",
                "--image",
                layout + ":" + name + ":1.0",
                bundle.toString()))
        .ok();
    Path rootfs = bundle.resolve("rootfs");
    assertEquals("answer = 42\n", Files.readString(rootfs.resolve("opt/app/conf/app.conf")));
    assertEquals(
        "rwxr-xr-x",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(rootfs.resolve("opt/app/run.sh"))));
    assertTrue(Files.isExecutable(rootfs.resolve("bin/busybox")));

    // skopeo reads the layout and reports the manifest digest rig printed.
    JsonNode inspected =
        JSON.readTree(
            Exec.run(List.of("skopeo", "inspect", "oci:" + layout + ":" + name + ":1.0"))
                .ok()
                .stdout());
    assertEquals(digest, inspected.get("Digest").asText());

    // The archives carry the same image.
    Path ociArchive = dir.resolve("image-oci.tar");
    Path dockerArchive = dir.resolve("image-docker.tar");
    assertEquals(
        line,
        rig(cache, "build", "-f", spec.toString(), "--out", "oci-archive:" + ociArchive)
            .stdout()
            .strip());
    assertEquals(
        line,
        rig(cache, "build", "-f", spec.toString(), "--out", "docker-archive:" + dockerArchive)
            .stdout()
            .strip());
    JsonNode fromOciArchive =
        JSON.readTree(
            Exec.run(
                    List.of("skopeo", "inspect", "oci-archive:" + ociArchive + ":" + name + ":1.0"))
                .ok()
                .stdout());
    assertEquals(digest, fromOciArchive.get("Digest").asText());
    JsonNode fromDockerArchive =
        JSON.readTree(
            Exec.run(List.of("skopeo", "inspect", "--config", "docker-archive:" + dockerArchive))
                .ok()
                .stdout());
    assertEquals("/srv", fromDockerArchive.at("/config/WorkingDir").asText());
    for (Path archive : List.of(ociArchive, dockerArchive)) {
      assertEquals(
          new String(spdx, StandardCharsets.UTF_8),
          Exec.run(List.of("tar", "-xOf", archive.toString(), "sbom/" + name + ".spdx.json"))
              .ok()
              .stdout(),
          "the archive carries the SBOM: " + archive);
    }

    // podman loads the docker archive and runs the image with the spec's settings.
    Podman podman = Podman.create(dir.resolve("podman"));
    String image = "localhost/" + name + ":1.0";
    try {
      Exec.Result load = podman.run("load", "-i", dockerArchive.toString());
      assertEquals(0, load.exitCode(), load.describe());
      Exec.Result run =
          podman.run("run", "--rm", "--network", "none", image, "/bin/busybox", "echo", "ok");
      assertEquals(0, run.exitCode(), run.describe());
      assertEquals("ok", run.stdout().strip());
      Exec.Result inside =
          podman.run(
              "run",
              "--rm",
              "--network",
              "none",
              image,
              "/bin/busybox",
              "sh",
              "-c",
              "echo $MODEL_DIR $HOME; /bin/busybox pwd; /bin/busybox id -u");
      assertEquals(0, inside.exitCode(), inside.describe());
      assertEquals("/workspace/models /root\n/srv\n1000", inside.stdout().strip());
      JsonNode config =
          JSON.readTree(podman.run("inspect", image).ok().stdout()).get(0).get("Config");
      assertEquals("/srv", config.get("WorkingDir").asText());
      assertEquals("1000:1000", config.get("User").asText());
      assertEquals("gpu", config.at("/Labels/org.example.team").asText());
      assertTrue(config.get("ExposedPorts").has("8080/tcp"), config.toString());
      assertTrue(config.get("ExposedPorts").has("22/tcp"), config.toString());
      assertTrue(config.get("Env").toString().contains("MODEL_DIR=/workspace/models"));
    } finally {
      podman.run("rmi", "-f", image);
    }
  }

  private static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static RigRun rig(Path cache, String... args) {
    return RigRun.withCache(cache, List.of(args)).ok();
  }
}
