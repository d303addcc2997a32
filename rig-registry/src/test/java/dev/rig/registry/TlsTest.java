package dev.rig.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.oci.image.AssembledImage;
import dev.rig.registry.auth.CredentialChain;
import dev.rig.registry.model.ImageReference;
import dev.rig.registry.model.PushResult;
import dev.rig.registry.model.RegistryEvent;
import dev.rig.registry.model.RegistryOptions;
import dev.rig.registry.model.RegistryTlsException;
import dev.rig.testkit.Exec;
import dev.rig.testkit.LocalRegistry;
import dev.rig.testkit.Tools;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry serving TLS with a self-signed certificate for 127.0.0.1. */
class TlsTest {
  @TempDir static Path temp;
  private static LocalRegistry registry;
  private static AssembledImage image;
  private static Path cert;

  @BeforeAll
  static void start() throws IOException {
    cert = temp.resolve("cert.pem");
    Path key = temp.resolve("key.pem");
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
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost"))
        .ok();
    registry =
        LocalRegistry.start(
            temp.resolve("registry"), LocalRegistry.Setup.plain().withTls(cert, key));
    image =
        TestImages.image("tls", List.of(new TestImages(temp.resolve("cache")).layer("t", 5000, 3)));
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  private static PushResult push(RegistryOptions options, RecordingListener events, String tag)
      throws IOException {
    RegistryClient client = new RegistryClient(options, CredentialChain.anonymous(), events);
    return new ImagePusher(client)
        .push(image, ImageReference.parse(registry.host() + "/rig/tls:" + tag));
  }

  @Test
  void trustedThroughCaFile() throws IOException {
    RecordingListener events = new RecordingListener();
    PushResult result = push(RegistryOptions.defaults().withCaFile(cert), events, "ca");
    assertEquals(image.manifestDescriptor().digest(), result.digest());
    assertTrue(
        events.of(RegistryEvent.Connected.class).get(0).baseUri().startsWith("https://"),
        "used TLS, not a plain HTTP fallback");
    // skopeo reads the same image over TLS (it checks the certificate against the CA dir).
    Path caDir = java.nio.file.Files.createDirectories(temp.resolve("skopeo-ca"));
    java.nio.file.Files.copy(
        cert, caDir.resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Skopeo.run(
            "inspect",
            "--cert-dir",
            caDir.toString(),
            "docker://" + registry.host() + "/rig/tls:ca")
        .ok();
  }

  @Test
  void untrustedWithoutCaFileIsAClearError() {
    RegistryTlsException e =
        assertThrows(
            RegistryTlsException.class,
            () -> push(RegistryOptions.defaults(), new RecordingListener(), "none"));
    assertTrue(e.getMessage().contains(registry.host()), e.getMessage());
    assertTrue(e.getMessage().contains("not trusted"), e.getMessage());
    System.out.println("[message] " + e.getMessage());
    assertTrue(e.getMessage().contains("--ca-file"), e.getMessage());
  }

  @Test
  void insecureSkipsVerification() throws IOException {
    PushResult result =
        push(RegistryOptions.defaults().withInsecure(true), new RecordingListener(), "insecure");
    assertEquals(image.manifestDescriptor().digest(), result.digest());
  }
}
