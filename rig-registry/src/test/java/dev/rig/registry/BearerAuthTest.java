package dev.rig.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.oci.image.AssembledImage;
import dev.rig.registry.auth.CredentialChain;
import dev.rig.registry.auth.CredentialChain.UserPassword;
import dev.rig.registry.model.ImageReference;
import dev.rig.registry.model.PushResult;
import dev.rig.registry.model.RegistryAuthException;
import dev.rig.registry.model.RegistryOptions;
import dev.rig.testkit.Exec;
import dev.rig.testkit.LocalRegistry;
import dev.rig.testkit.Tools;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry that wants bearer tokens from a token service (written in TokenServer). */
class BearerAuthTest {
  @TempDir static Path temp;
  private static TokenServer tokens;
  private static LocalRegistry registry;
  private static TestImages images;

  @BeforeAll
  static void start() throws Exception {
    Path cert = temp.resolve("token-cert.pem");
    Path key = temp.resolve("token-key.pem");
    Exec.run(
            List.of(
                Tools.require("openssl", "openssl").toString(),
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString(),
                "-subj",
                "/CN=rig-test-token"))
        .ok();
    tokens = new TokenServer(key, cert, "robot", "t0ken-pass");
    registry =
        LocalRegistry.start(
            temp.resolve("registry"),
            LocalRegistry.Setup.plain().withTokenAuth(tokens.realm(), cert));
    images = new TestImages(temp.resolve("cache"));
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
    if (tokens != null) {
      tokens.close();
    }
  }

  private static RegistryClient client(String password, RecordingListener events) throws Exception {
    CredentialChain chain =
        CredentialChain.standard(
            Optional.of(new UserPassword("robot", password)),
            Set.of(registry.host()),
            Map.of(),
            temp.resolve("home"));
    return new RegistryClient(RegistryOptions.defaults(), chain, events);
  }

  @Test
  void pushesWithATokenAndAsksForMountSourceScope() throws Exception {
    AssembledImage image = TestImages.image("bearer", List.of(images.layer("b", 20_000, 41)));
    RecordingListener events = new RecordingListener();
    PushResult first =
        new ImagePusher(client("t0ken-pass", events))
            .push(image, ImageReference.parse(registry.host() + "/rig/bearer:1"));
    assertEquals(image.manifestDescriptor().digest(), first.digest());
    assertTrue(
        tokens.scopeRequests.contains("repository:rig/bearer:pull,push"),
        tokens.scopeRequests.toString());

    PushResult mounted =
        new ImagePusher(client("t0ken-pass", new RecordingListener()))
            .push(
                image,
                ImageReference.parse(registry.host() + "/rig/bearer-copy:1"),
                Optional.of("rig/bearer"));
    assertEquals(2, mounted.blobsMounted());
    assertTrue(
        tokens.scopeRequests.contains(
            "repository:rig/bearer-copy:pull,push repository:rig/bearer:pull"),
        tokens.scopeRequests.toString());
  }

  @Test
  void refusedTokenRequestIsAnAuthError() {
    AssembledImage image = TestImages.image("bearer-bad", List.of());
    RegistryAuthException e =
        assertThrows(
            RegistryAuthException.class,
            () ->
                new ImagePusher(client("wrong", new RecordingListener()))
                    .push(image, ImageReference.parse(registry.host() + "/rig/bearer:2")));
    assertTrue(e.getMessage().contains(registry.host()), e.getMessage());
    assertTrue(e.getMessage().contains("--creds"), e.getMessage());
  }
}
