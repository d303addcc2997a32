package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.testkit.Exec;
import dev.rig.testkit.Podman;
import dev.rig.testkit.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code from = "oci:DIR:REF"}: an image built on another keeps the base's layers byte for byte,
 * inherits its config where the spec is silent, and runs.
 */
class BaseImageTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void anImageBuiltOnALocalLayoutKeepsTheBaseLayersAndRuns() throws IOException {
    Path busybox = Tools.require("busybox", "busybox-static");
    Tools.require("skopeo", "skopeo");
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    Files.writeString(dir.resolve("hello.txt"), "hello from the top layer\n");
    Path spec = dir.resolve("rig.yaml");
    Files.writeString(
        spec,
        String.join(
            "\n",
            "images:",
            "  base-" + suffix + ":",
            "    extraEnv: { FROM_BASE: \"1\" }",
            "    copyToRoot:",
            "      - { source: " + busybox + ", target: /bin/busybox, mode: \"0755\" }",
            ""));
    Path cache = dir.resolve("cache");
    Path baseLayout = dir.resolve("base-layout");
    RigRun.withCache(cache, List.of("build", "-f", spec.toString(), "--out", "oci:" + baseLayout))
        .ok();

    Path top = dir.resolve("top.yaml");
    Files.writeString(
        top,
        String.join(
            "\n",
            "images:",
            "  top-" + suffix + ":",
            "    from: \"oci:base-layout:base-" + suffix + ":latest\"",
            "    extraEnv: { FROM_TOP: \"2\" }",
            "    copyToRoot:",
            "      - { source: hello.txt, target: /hello.txt }",
            ""));
    Path archive = dir.resolve("top.tar");
    RigRun.withCache(
            cache, List.of("build", "-f", top.toString(), "--out", "docker-archive:" + archive))
        .ok();

    // The base's layers come first, unchanged: same diffIDs (and, in the layout, same blobs).
    JsonNode baseConfig =
        JSON.readTree(
            Exec.run(
                    List.of(
                        "skopeo",
                        "inspect",
                        "--config",
                        "oci:" + baseLayout + ":base-" + suffix + ":latest"))
                .ok()
                .stdout());
    JsonNode topConfig =
        JSON.readTree(
            Exec.run(List.of("skopeo", "inspect", "--config", "docker-archive:" + archive))
                .ok()
                .stdout());
    JsonNode baseDiffIds = baseConfig.at("/rootfs/diff_ids");
    JsonNode topDiffIds = topConfig.at("/rootfs/diff_ids");
    assertEquals(baseDiffIds.size() + 1, topDiffIds.size(), topConfig.toString());
    for (int i = 0; i < baseDiffIds.size(); i++) {
      assertEquals(baseDiffIds.get(i), topDiffIds.get(i));
    }
    assertEquals(baseConfig.at("/history").size() + 1, topConfig.at("/history").size());

    Podman podman = Podman.create(dir.resolve("podman"));
    String image = "localhost/top-" + suffix + ":latest";
    try {
      podman.run("load", "-i", archive.toString()).ok();
      Exec.Result run =
          podman.run(
              "run",
              "--rm",
              "--network",
              "none",
              image,
              "/bin/busybox",
              "sh",
              "-c",
              "cat /hello.txt; echo $FROM_BASE $FROM_TOP");
      assertEquals(0, run.exitCode(), run.describe());
      assertEquals("hello from the top layer\n1 2", run.stdout().strip());
    } finally {
      podman.run("rmi", "-f", image);
    }
    assertTrue(Files.isDirectory(baseLayout.resolve("blobs")));
  }
}
