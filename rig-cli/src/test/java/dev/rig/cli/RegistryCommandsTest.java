package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.testkit.Exec;
import dev.rig.testkit.LocalRegistry;
import dev.rig.testkit.Podman;
import dev.rig.testkit.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rig push}, {@code rig build --push} and registry base images, against a real
 * docker-registry on 127.0.0.1, read back by skopeo and run by podman.
 */
class RegistryCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PUSHED = Pattern.compile("(\\S+)@(sha256:[0-9a-f]{64})  (.*)");

  @TempDir Path dir;

  private final String suffix = UUID.randomUUID().toString().substring(0, 8);

  private Path spec(String name, String body) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, body);
    return file;
  }

  private Path appSpec(String host, String... repositories) throws IOException {
    Path busybox = Tools.require("busybox", "busybox-static");
    Files.writeString(dir.resolve("hello.txt"), "hello " + suffix + "\n");
    StringBuilder registries = new StringBuilder();
    for (String repo : repositories) {
      registries.append("      - ").append(host).append('/').append(repo).append('\n');
    }
    return spec(
        "app.yaml",
        "images:\n"
            + "  app:\n"
            + "    tag: t1\n"
            + "    copyToRoot:\n"
            + "      - { source: "
            + busybox
            + ", target: /bin/busybox, mode: \"0755\" }\n"
            + "      - { source: hello.txt, target: /hello.txt }\n"
            + "    registries:\n"
            + registries);
  }

  private static JsonNode json(RigRun run) throws IOException {
    return JSON.readTree(run.ok().stdout());
  }

  @Test
  void pushIsReadBackBySkopeoAndRunByPodmanAndARepushSendsNothing() throws IOException {
    Tools.require("skopeo", "skopeo");
    Path cache = dir.resolve("cache");
    try (LocalRegistry registry = LocalRegistry.start(dir.resolve("registry"))) {
      Path spec = appSpec(registry.host(), "rig/app", "rig/copy");
      RigRun first = RigRun.withCache(cache, List.of("push", "-f", spec.toString())).ok();
      List<String> lines = first.stdout().strip().lines().toList();
      assertEquals(2, lines.size(), first.describe());
      Matcher app = PUSHED.matcher(lines.get(0));
      assertTrue(app.matches(), first.describe());
      assertEquals(registry.host() + "/rig/app:t1", app.group(1));
      assertTrue(app.group(3).startsWith("uploaded 4 blob(s)"), app.group(3));
      // The second repository of the same registry gets every blob by mount, none by upload.
      Matcher copy = PUSHED.matcher(lines.get(1));
      assertTrue(copy.matches(), first.describe());
      assertEquals(app.group(2), copy.group(2));
      assertTrue(copy.group(3).startsWith("no blob uploaded, 4 mounted"), copy.group(3));

      String digest =
          Exec.run(
                  List.of(
                      "skopeo",
                      "inspect",
                      "--tls-verify=false",
                      "--format",
                      "{{.Digest}}",
                      "docker://" + registry.host() + "/rig/app:t1"))
              .ok()
              .stdout()
              .strip();
      assertEquals(app.group(2), digest);

      JsonNode again =
          json(RigRun.withCache(cache, List.of("push", "-f", spec.toString(), "--json")));
      for (JsonNode pushed : again.get("pushed")) {
        assertEquals(0, pushed.get("blobsUploaded").asInt(), again.toString());
        assertEquals(0, pushed.get("bytesUploaded").asLong(), again.toString());
        assertEquals(app.group(2), pushed.get("digest").asText());
      }

      // --to without a tag pushes under the image's own tag, as the help says.
      RigRun to =
          RigRun.withCache(
                  cache,
                  List.of("push", "-f", spec.toString(), "--to", registry.host() + "/rig/other"))
              .ok();
      assertTrue(
          to.stdout().startsWith(registry.host() + "/rig/other:t1@"), "pushed as " + to.stdout());

      Podman podman = Podman.create(dir.resolve("podman"));
      String image = registry.host() + "/rig/app:t1";
      try {
        Exec.Result run =
            podman.run(
                "run", "--rm", "--tls-verify=false", image, "/bin/busybox", "cat", "/hello.txt");
        assertEquals(0, run.exitCode(), run.describe());
        assertEquals("hello " + suffix, run.stdout().strip());
      } finally {
        podman.run("rmi", "-f", image);
      }
    }
  }

  @Test
  void aRegistryBaseImageIsNotDownloadedToPushOnTopOfIt() throws IOException {
    Path busybox = Tools.require("busybox", "busybox-static");
    try (LocalRegistry registry = LocalRegistry.start(dir.resolve("registry"))) {
      Path base =
          spec(
              "base.yaml",
              "images:\n  base:\n    tag: \"1.0\"\n    copyToRoot:\n      - { source: "
                  + busybox
                  + ", target: /bin/busybox, mode: \"0755\" }\n    registries: ["
                  + registry.host()
                  + "/rig/base]\n");
      RigRun.withCache(dir.resolve("cache-a"), List.of("push", "-f", base.toString())).ok();

      Files.writeString(dir.resolve("top.txt"), "top " + suffix + "\n");
      Path top =
          spec(
              "top.yaml",
              "images:\n  top:\n    from: "
                  + registry.host()
                  + "/rig/base:1.0\n    copyToRoot:\n      - { source: top.txt, target: /top.txt"
                  + " }\n    registries: ["
                  + registry.host()
                  + "/rig/top]\n");
      Path freshCache = dir.resolve("cache-b");
      RigRun pushed = RigRun.withCache(freshCache, List.of("push", "-f", top.toString())).ok();
      assertFalse(pushed.stderr().contains("downloaded"), pushed.describe());
      Matcher m = PUSHED.matcher(pushed.stdout().strip());
      assertTrue(m.matches(), pushed.describe());
      // Base layers (2: rig's base filesystem and busybox) are mounted from rig/base.
      assertTrue(m.group(3).contains(" 2 mounted"), m.group(3));

      // The tag was pinned in rig.lock: moving the tag in the registry changes nothing until
      // `rig lock` is run.
      String lock = Files.readString(dir.resolve("rig.lock"));
      Matcher pinned =
          Pattern.compile(
                  Pattern.quote(registry.host() + "/rig/base:1.0@") + "(sha256:[0-9a-f]{64})")
              .matcher(lock);
      assertTrue(pinned.find(), lock);
      String firstBase = pinned.group(1);
      Files.writeString(dir.resolve("extra.txt"), "a new base\n");
      Files.writeString(
          base,
          Files.readString(base)
              .replace(
                  "    registries:",
                  "      - { source: extra.txt, target: /extra.txt }\n    registries:"));
      RigRun.withCache(dir.resolve("cache-a"), List.of("push", "-f", base.toString())).ok();
      RigRun again = RigRun.withCache(freshCache, List.of("push", "-f", top.toString())).ok();
      assertEquals(
          m.group(2),
          PUSHED.matcher(again.stdout().strip()).results().findFirst().orElseThrow().group(2),
          "a locked base keeps the image as it was");
      RigRun.withCache(freshCache, List.of("lock", "-f", top.toString())).ok();
      Matcher moved =
          Pattern.compile(
                  Pattern.quote(registry.host() + "/rig/base:1.0@") + "(sha256:[0-9a-f]{64})")
              .matcher(Files.readString(dir.resolve("rig.lock")));
      assertTrue(moved.find());
      assertNotEquals(firstBase, moved.group(1), "rig lock moves the pin to the tag's new digest");

      // Writing the image out does need the base's bytes: they are fetched then, and verified.
      Path archive = dir.resolve("top.tar");
      RigRun built =
          RigRun.withCache(
                  freshCache,
                  List.of("build", "-f", top.toString(), "--out", "docker-archive:" + archive))
              .ok();
      assertTrue(built.stderr().contains("downloaded"), built.describe());
      Podman podman = Podman.create(dir.resolve("podman"));
      String image = "localhost/top:latest";
      try {
        podman.run("load", "-i", archive.toString()).ok();
        Exec.Result run = podman.run("run", "--rm", image, "/bin/busybox", "cat", "/top.txt");
        assertEquals("top " + suffix, run.ok().stdout().strip());
      } finally {
        podman.run("rmi", "-f", image);
      }
    }
  }

  @Test
  void basicAuthNeedsCredentialsAndSaysWhereItLooked() throws IOException {
    Tools.require("htpasswd", "apache2-utils");
    Path htpasswd = dir.resolve("htpasswd");
    Files.writeString(
        htpasswd,
        Exec.run(List.of("htpasswd", "-Bbn", "rig", "s3cret-pw")).ok().stdout().strip() + "\n");
    try (LocalRegistry registry =
        LocalRegistry.start(
            dir.resolve("registry"), LocalRegistry.Setup.plain().withBasicAuth(htpasswd))) {
      Path spec = appSpec(registry.host(), "rig/private");
      Path cache = dir.resolve("cache");
      RigRun denied = RigRun.withCache(cache, List.of("push", "-f", spec.toString()));
      assertEquals(1, denied.exitCode(), denied.describe());
      assertTrue(denied.stderr().contains(registry.host()), denied.describe());
      assertTrue(denied.stderr().contains("--creds"), denied.describe());
      RigRun ok =
          RigRun.withCache(
                  cache, List.of("push", "-f", spec.toString(), "--creds", "rig:s3cret-pw"))
              .ok();
      assertTrue(ok.stdout().contains(registry.host() + "/rig/private:t1@sha256:"), ok.describe());
      assertFalse(ok.stdout().contains("s3cret-pw") || ok.stderr().contains("s3cret-pw"));
    }
  }

  @Test
  void aSpecWithoutRegistriesSaysHowToAddOne() throws IOException {
    Path spec = spec("rig.yaml", "images:\n  lonely: {}\n");
    RigRun run = RigRun.withCache(dir.resolve("cache"), List.of("push", "-f", spec.toString()));
    assertEquals(1, run.exitCode());
    assertTrue(run.stderr().contains("image 'lonely' has no registries"), run.describe());
    assertTrue(run.stderr().contains("--to"), run.describe());
  }
}
