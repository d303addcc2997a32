package dev.rig.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.oci.image.AssembledImage;
import dev.rig.registry.auth.CredentialChain;
import dev.rig.registry.model.ImageReference;
import dev.rig.registry.model.PushResult;
import dev.rig.registry.model.RegistryAuthException;
import dev.rig.registry.model.RegistryEvent;
import dev.rig.registry.model.RegistryListener;
import dev.rig.registry.model.RegistryOptions;
import dev.rig.testkit.Exec;
import dev.rig.testkit.LocalRegistry;
import dev.rig.testkit.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry with htpasswd basic auth; credentials come from a docker config.json. */
class BasicAuthTest {
  @TempDir static Path temp;
  private static LocalRegistry registry;
  private static AssembledImage image;

  @BeforeAll
  static void start() throws IOException {
    Path htpasswd = temp.resolve("htpasswd");
    String line =
        Exec.run(
                List.of(
                    Tools.require("htpasswd", "apache2-utils").toString(),
                    "-Bbn",
                    "user",
                    "s3cret"))
            .ok()
            .stdout();
    Files.writeString(htpasswd, line.strip() + "\n");
    registry =
        LocalRegistry.start(
            temp.resolve("registry"), LocalRegistry.Setup.plain().withBasicAuth(htpasswd));
    image =
        TestImages.image(
            "auth", List.of(new TestImages(temp.resolve("cache")).layer("a", 10_000, 1)));
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  /** The standard chain, pointed at a config dir in the temp dir instead of ~/.docker. */
  private static CredentialChain chain(String user, String password) throws IOException {
    Path dockerDir = temp.resolve("docker-" + user + "-" + password.length());
    Files.createDirectories(dockerDir);
    String auth =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    Files.writeString(
        dockerDir.resolve("config.json"),
        "{\"auths\":{\"" + registry.host() + "\":{\"auth\":\"" + auth + "\"}}}");
    return CredentialChain.standard(
        Optional.empty(),
        Set.of(),
        Map.of("DOCKER_CONFIG", dockerDir.toString(), "PATH", ""),
        temp.resolve("home"));
  }

  @Test
  void pushesWithCredentialsFromDockerConfig() throws IOException {
    RecordingListener events = new RecordingListener();
    RegistryClient client =
        new RegistryClient(RegistryOptions.defaults(), chain("user", "s3cret"), events);
    PushResult result =
        new ImagePusher(client).push(image, ImageReference.parse(registry.host() + "/rig/auth:1"));
    assertEquals(2, result.blobsUploaded());
    assertTrue(
        events.of(RegistryEvent.CredentialsFound.class).get(0).source().endsWith("config.json"));
    String inspect =
        Skopeo.run(
                "inspect",
                "--tls-verify=false",
                "--creds",
                "user:s3cret",
                "docker://" + registry.host() + "/rig/auth:1")
            .ok()
            .stdout();
    JsonNode node = new ObjectMapper().readTree(inspect);
    assertEquals(result.digest().toString(), node.path("Digest").asText());
  }

  @Test
  void wrongPasswordNamesRegistryAndWhereCredentialsWereLookedFor() throws IOException {
    CredentialChain chain = chain("user", "wrong-password");
    RegistryClient client =
        new RegistryClient(RegistryOptions.defaults(), chain, RegistryListener.NONE);
    RegistryAuthException e =
        assertThrows(
            RegistryAuthException.class,
            () ->
                new ImagePusher(client)
                    .push(image, ImageReference.parse(registry.host() + "/rig/auth:2")));
    String message = e.getMessage();
    System.out.println("[message] " + message);
    assertTrue(message.contains("registry " + registry.host()), message);
    assertTrue(message.contains("user 'user'"), message);
    assertTrue(message.contains("config.json"), message);
    assertTrue(message.contains("RIG_REGISTRY_USER"), message);
    assertTrue(message.contains("auth.json"), message);
    assertFalse(message.contains("wrong-password"), "never print a secret: " + message);
    assertEquals(401, e.status());
  }

  @Test
  void noCredentialsSaysNoneWereFound() throws IOException {
    RegistryClient client =
        new RegistryClient(
            RegistryOptions.defaults(), CredentialChain.anonymous(), RegistryListener.NONE);
    RegistryAuthException e =
        assertThrows(
            RegistryAuthException.class,
            () ->
                new ImagePusher(client)
                    .push(image, ImageReference.parse(registry.host() + "/rig/auth:3")));
    assertTrue(e.getMessage().contains("none were found"), e.getMessage());
  }

  @Test
  void environmentCredentialsComeBeforeConfigFiles() throws IOException {
    CredentialChain chain =
        CredentialChain.standard(
            Optional.empty(),
            Set.of(registry.host()),
            Map.of("RIG_REGISTRY_USER", "user", "RIG_REGISTRY_PASSWORD", "s3cret", "PATH", ""),
            temp.resolve("nohome"));
    RegistryClient client =
        new RegistryClient(RegistryOptions.defaults(), chain, RegistryListener.NONE);
    PushResult result =
        new ImagePusher(client).push(image, ImageReference.parse(registry.host() + "/rig/env:1"));
    assertEquals(image.manifestDescriptor().digest(), result.digest());
  }
}
