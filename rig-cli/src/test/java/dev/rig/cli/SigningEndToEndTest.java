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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signatures against the reference implementation: Debian trixie's skopeo (bookworm's has sigstore
 * disabled), run from an image rig builds once for the class, checks what {@code rig push --sign}
 * attached under a sigstoreSigned policy, and signs images that {@code rig verify} then checks;
 * keys made by either side work on the other. All against a real distribution registry (which has
 * no referrers API: rig falls back to the tags).
 */
class SigningEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ID = UUID.randomUUID().toString().substring(0, 8);

  @TempDir static Path shared;

  private static Podman podman;
  private static LocalRegistry registry;
  private static String skopeoImage;
  private static Path skopeoSpec;
  private static Path passphrase;

  @TempDir Path dir;

  @BeforeAll
  static void skopeoImageRegistryAndKeys() throws IOException {
    Tools.require("bwrap", "bubblewrap");
    podman = Podman.create(shared.resolve("podman"));
    String name = "sign-skopeo-" + ID;
    Path project = Files.createDirectories(shared.resolve("skopeo"));
    skopeoSpec = project.resolve("rig.yaml");
    Files.writeString(skopeoSpec, skopeoSpec(name, ""));
    Path archive = shared.resolve("skopeo.tar");
    RigRun.withCache(
            RigRun.sharedCache(),
            List.of(
                "build", "-f", skopeoSpec.toString(), "-q", "--out", "docker-archive:" + archive))
        .ok();
    podman.run("load", "-i", archive.toString()).ok();
    Files.delete(archive);
    skopeoImage = "localhost/" + name + ":latest";
    registry = LocalRegistry.start(shared.resolve("registry"));
    passphrase = shared.resolve("passphrase");
    Files.writeString(passphrase, "test passphrase " + ID + "\n");
    for (String key : List.of("k1", "k2")) {
      RigRun.of(
              List.of(
                  "key",
                  "generate",
                  "--out",
                  shared.resolve(key).toString(),
                  "--passphrase-file",
                  passphrase.toString()))
          .ok();
    }
    // skopeo reads sigstore signatures from the registry only where this says so.
    Files.writeString(
        Files.createDirectories(shared.resolve("registries.d")).resolve("local.yaml"),
        "docker:\n  " + registry.host() + ":\n    use-sigstore-attachments: true\n");
  }

  @AfterAll
  static void cleanUp() {
    if (registry != null) {
      registry.close();
    }
    if (skopeoImage != null) {
      podman.run("rmi", "-f", skopeoImage);
    }
  }

  /** Only skopeo and what it needs, no rig-init: a small image of trixie's packages. */
  private static String skopeoSpec(String name, String more) {
    return "images:\n  "
        + name
        + ":\n    packages: [skopeo]\n"
        + "    environment: { core: false, dev: false, network: false, shell: false }\n"
        + "    runtime: { enable: false }\n"
        + "    cuda: { enable: false }\n"
        + more;
  }

  /** skopeo ARGS in the trixie image, on the host network, the shared files at the same path. */
  private static Exec.Result skopeo(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "run",
                "--rm",
                "--network",
                "host",
                "-v",
                shared + ":" + shared,
                skopeoImage,
                "skopeo"));
    command.addAll(List.of(args));
    return podman.run(Duration.ofMinutes(2), command.toArray(String[]::new));
  }

  /** Copies REF out of the registry under a policy that requires a signature by {@code key}. */
  private static Exec.Result copyRequiringSignature(String ref, String key) throws IOException {
    Path policy = shared.resolve("policy-" + key + ".json");
    Files.writeString(
        policy,
        "{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"docker\":{\""
            + registry.host()
            + "\":[{\"type\":\"sigstoreSigned\",\"keyPath\":\""
            + shared.resolve(key + ".pub")
            + "\",\"signedIdentity\":{\"type\":\"matchRepository\"}}]},"
            + "\"oci\":{\"\":[{\"type\":\"insecureAcceptAnything\"}]}}}");
    return skopeo(
        "copy",
        "--policy",
        policy.toString(),
        "--registries.d",
        shared.resolve("registries.d").toString(),
        "--src-tls-verify=false",
        "--remove-signatures",
        "docker://" + ref,
        "oci:/tmp/copy:1");
  }

  private Path appSpec(String repository, String content) throws IOException {
    Files.writeString(dir.resolve("hello.txt"), content + "\n");
    Path spec = dir.resolve("rig.yaml");
    Files.writeString(
        spec,
        "images:\n  app:\n    tag: t1\n    copyToRoot:\n"
            + "      - { source: hello.txt, target: /hello.txt }\n"
            + "    registries: ["
            + registry.host()
            + "/"
            + repository
            + "]\n");
    return spec;
  }

  private RigRun push(Path spec, String... more) {
    List<String> args = new ArrayList<>(List.of("push", "-f", spec.toString(), "-q", "--json"));
    args.addAll(List.of(more));
    return RigRun.withCache(dir.resolve("cache"), args);
  }

  private static List<String> signWith(String key) {
    return List.of(
        "--sign",
        shared.resolve(key + ".key").toString(),
        "--passphrase-file",
        passphrase.toString());
  }

  private static int verify(String ref, String key, String... more) {
    List<String> args =
        new ArrayList<>(List.of("verify", ref, "--key", shared.resolve(key + ".pub").toString()));
    args.addAll(List.of(more));
    return RigRun.of(args).exitCode();
  }

  @Test
  void skopeoAcceptsWhatRigSignedOnlyWithRigsKeyAndOnlyForTheSignedManifest() throws IOException {
    String ref = registry.host() + "/sign/app:t1";
    Path spec = appSpec("sign/app", "signed " + ID);
    List<String> args = new ArrayList<>(signWith("k1"));
    JsonNode pushed = JSON.readTree(push(spec, args.toArray(String[]::new)).ok().stdout());
    String digest = pushed.path("signed").get(0).path("digest").asText();
    assertEquals(pushed.path("pushed").get(0).path("digest").asText(), digest, pushed.toString());

    Exec.Result accepted = copyRequiringSignature(ref, "k1");
    assertEquals(0, accepted.exitCode(), accepted.describe());
    assertEquals(0, verify(ref, "k1"));

    Exec.Result otherKey = copyRequiringSignature(ref, "k2");
    assertNotEquals(0, otherKey.exitCode(), otherKey.describe());
    assertTrue(
        otherKey.stderr().contains("cryptographic signature verification failed"),
        otherKey.describe());
    assertEquals(VerifyCommand.NOT_VERIFIED, verify(ref, "k2"));

    // The same image, unsigned, in another repository.
    String unsigned = registry.host() + "/sign/unsigned:t1";
    push(spec, "--to", unsigned).ok();
    Exec.Result none = copyRequiringSignature(unsigned, "k1");
    assertNotEquals(0, none.exitCode(), none.describe());
    assertTrue(none.stderr().contains("signature"), none.describe());
    assertEquals(VerifyCommand.NOT_VERIFIED, verify(unsigned, "k1"));

    // The tag moved to another manifest, pushed without signing: the old signature does not
    // cover it.
    push(appSpec("sign/app", "moved " + ID)).ok();
    Exec.Result moved = copyRequiringSignature(ref, "k1");
    assertNotEquals(0, moved.exitCode(), moved.describe());
    assertEquals(VerifyCommand.NOT_VERIFIED, verify(ref, "k1"));
    assertEquals(0, verify(registry.host() + "/sign/app@" + digest, "k1"));
  }

  @Test
  void rigVerifiesWhatSkopeoSignedWithARigKeyAndSignsWithSkopeosKey() throws IOException {
    String ref = registry.host() + "/sign/by-skopeo:t1";
    Path spec = appSpec("sign/by-skopeo", "by skopeo " + ID);
    push(spec).ok();
    assertEquals(VerifyCommand.NOT_VERIFIED, verify(ref, "k1"));
    Exec.Result signed =
        skopeo(
            "copy",
            "--registries.d",
            shared.resolve("registries.d").toString(),
            "--src-tls-verify=false",
            "--dest-tls-verify=false",
            "--sign-by-sigstore-private-key",
            shared.resolve("k1.key").toString(),
            "--sign-passphrase-file",
            passphrase.toString(),
            "docker://" + ref,
            "docker://" + ref);
    assertEquals(0, signed.exitCode(), signed.describe());
    RigRun ok = RigRun.of(List.of("verify", ref, "--key", shared.resolve("k1.pub").toString()));
    assertEquals(0, ok.exitCode(), ok.describe());
    assertTrue(ok.stdout().contains("ok    signature 1: signed by the given key"), ok.stdout());
    assertEquals(VerifyCommand.NOT_VERIFIED, verify(ref, "k2"));

    // A key pair skopeo generated signs a rig push that skopeo then accepts.
    Exec.Result generated =
        skopeo(
            "generate-sigstore-key",
            "--output-prefix",
            shared.resolve("sk").toString(),
            "--passphrase-file",
            passphrase.toString());
    assertEquals(0, generated.exitCode(), generated.describe());
    Files.copy(shared.resolve("sk.private"), shared.resolve("sk.key"));
    push(appSpec("sign/skopeo-key", "skopeo key " + ID), signWith("sk").toArray(String[]::new))
        .ok();
    Exec.Result accepted = copyRequiringSignature(registry.host() + "/sign/skopeo-key:t1", "sk");
    assertEquals(0, accepted.exitCode(), accepted.describe());
  }

  @Test
  void aRegistryWithoutTheReferrersApiGetsTheTagsWithoutError() throws Exception {
    Path spec = appSpec("sign/tags", "tags " + ID);
    // The key named by the spec's signing option this time, not by --sign.
    Files.writeString(
        spec, Files.readString(spec) + "signing: { key: " + shared.resolve("k1.key") + " }\n");
    String[] passphraseFile = {"--passphrase-file", passphrase.toString()};
    JsonNode pushed = JSON.readTree(push(spec, passphraseFile).ok().stdout());
    JsonNode signed = pushed.path("signed").get(0);
    String digest = signed.path("digest").asText();
    assertFalse(signed.has("referrers"), "the registry has no referrers API: " + signed);
    assertEquals(404, get("/v2/sign/tags/referrers/" + digest).statusCode());
    String tags = get("/v2/sign/tags/tags/list").body();
    String hex = digest.substring("sha256:".length());
    assertTrue(tags.contains("sha256-" + hex + ".sig"), tags);
    assertTrue(tags.contains("sha256-" + hex + ".att"), tags);
    // Signing again adds nothing: the signature is deterministic and stored once.
    String sigManifest = get("/v2/sign/tags/manifests/sha256-" + hex + ".sig").body();
    String attManifest = get("/v2/sign/tags/manifests/sha256-" + hex + ".att").body();
    RigRun again = push(spec, passphraseFile).ok();
    assertEquals(sigManifest, get("/v2/sign/tags/manifests/sha256-" + hex + ".sig").body());
    // The attestations (provenance, SBOM) hold no time or host path: the same bytes again.
    assertEquals(attManifest, get("/v2/sign/tags/manifests/sha256-" + hex + ".att").body());

    // Neither the private key nor its passphrase reaches the cache, rig.lock or the output.
    String keyBody =
        Files.readString(shared.resolve("k1.key")).lines().skip(1).findFirst().orElseThrow();
    String secret = Files.readString(passphrase).strip();
    List<Path> written = new ArrayList<>();
    try (var files = Files.walk(dir)) {
      files.filter(Files::isRegularFile).forEach(written::add);
    }
    for (Path file : written) {
      if (Files.size(file) < (64 << 20)) {
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertFalse(text.contains(keyBody), "the private key is in " + file);
        assertFalse(text.contains(secret), "the passphrase is in " + file);
      }
    }
    assertFalse((again.stdout() + again.stderr()).contains(secret), again.describe());

    // A second signer (another key) adds its signature and attestations beside the first's; each
    // key verifies on its own.
    push(spec, signWith("k2").toArray(String[]::new)).ok();
    String ref = registry.host() + "/sign/tags:t1";
    assertEquals(0, verify(ref, "k1", "--attestations"));
    assertEquals(0, verify(ref, "k2", "--attestations"));
  }

  @Test
  void theProvenanceNamesTheSpecAndLockDigestsAndChangesWithTheSpec() throws Exception {
    Path lock = skopeoSpec.resolveSibling("rig.lock");
    assertTrue(Files.isRegularFile(lock), "the skopeo image locks its packages");
    String repository = registry.host() + "/sign/skopeo";
    List<String> args =
        new ArrayList<>(
            List.of(
                "push", "-f", skopeoSpec.toString(), "-q", "--json", "--to", repository + ":v1"));
    args.addAll(signWith("k1"));
    JsonNode first = provenance(RigRun.withCache(RigRun.sharedCache(), args).ok(), "sign/skopeo");
    JsonNode dependencies = first.path("predicate").path("buildDefinition");
    assertEquals("rig.yaml", dependencies.path("externalParameters").path("spec").asText());
    assertEquals(
        sha256(skopeoSpec), digestOf(dependencies.path("resolvedDependencies"), "rig.yaml"));
    assertEquals(sha256(lock), digestOf(dependencies.path("resolvedDependencies"), "rig.lock"));
    assertEquals(repository, first.path("subject").get(0).path("name").asText());
    assertTrue(
        first
            .path("predicate")
            .path("runDetails")
            .path("builder")
            .path("id")
            .asText()
            .contains("rig"),
        first.toString());

    RigRun verified =
        RigRun.of(
            List.of(
                "verify",
                repository + ":v1",
                "--key",
                shared.resolve("k1.pub").toString(),
                "--attestations"));
    assertEquals(0, verified.exitCode(), verified.describe());
    assertTrue(
        verified.stdout().contains("attestation https://slsa.dev/provenance/v1"),
        verified.stdout());

    String original = Files.readString(skopeoSpec);
    Files.writeString(skopeoSpec, original + "    extraLabels: { changed: \"yes\" }\n");
    try {
      JsonNode second =
          provenance(RigRun.withCache(RigRun.sharedCache(), args).ok(), "sign/skopeo");
      JsonNode changed = second.path("predicate").path("buildDefinition");
      assertEquals(sha256(skopeoSpec), digestOf(changed.path("resolvedDependencies"), "rig.yaml"));
      assertNotEquals(
          digestOf(dependencies.path("resolvedDependencies"), "rig.yaml"),
          digestOf(changed.path("resolvedDependencies"), "rig.yaml"));
      assertEquals(sha256(lock), digestOf(changed.path("resolvedDependencies"), "rig.lock"));
    } finally {
      Files.writeString(skopeoSpec, original);
    }
  }

  @Test
  void withoutATerminalTheMissingPassphraseSaysWhatToSet() {
    if (System.getenv("RIG_SIGNING_PASSPHRASE") != null) {
      return;
    }
    RigRun run = RigRun.of(List.of("key", "generate", "--out", dir.resolve("k").toString()));
    assertEquals(Failures.FAILED, run.exitCode(), run.describe());
    assertTrue(run.stderr().contains("set RIG_SIGNING_PASSPHRASE"), run.describe());
    assertFalse(Files.exists(dir.resolve("k.key")));
  }

  @Test
  void aGeneratedPrivateKeyIsOwnerOnlyAndNeverOverwritten() throws IOException {
    Path key = shared.resolve("k1.key");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    String before = Files.readString(key);
    RigRun again =
        RigRun.of(
            List.of(
                "key",
                "generate",
                "--out",
                shared.resolve("k1").toString(),
                "--passphrase-file",
                passphrase.toString()));
    assertEquals(Failures.FAILED, again.exitCode(), again.describe());
    assertTrue(again.stderr().contains("a key file is there already"), again.describe());
    assertEquals(before, Files.readString(key));
  }

  /** The provenance statement attached to the image a push --json reports. */
  private static JsonNode provenance(RigRun push, String repository) throws Exception {
    JsonNode signed = JSON.readTree(push.stdout()).path("signed").get(0);
    String tag = signed.path("attestationTag").asText();
    JsonNode manifest = JSON.readTree(get("/v2/" + repository + "/manifests/" + tag).body());
    for (JsonNode layer : manifest.path("layers")) {
      if (layer
          .path("annotations")
          .path("predicateType")
          .asText()
          .equals("https://slsa.dev/provenance/v1")) {
        JsonNode envelope =
            JSON.readTree(
                get("/v2/" + repository + "/blobs/" + layer.path("digest").asText()).body());
        assertEquals("application/vnd.in-toto+json", envelope.path("payloadType").asText());
        JsonNode statement =
            JSON.readTree(Base64.getDecoder().decode(envelope.path("payload").asText()));
        if (statement
            .path("subject")
            .get(0)
            .path("digest")
            .path("sha256")
            .asText()
            .equals(signed.path("digest").asText().substring("sha256:".length()))) {
          return statement;
        }
      }
    }
    throw new AssertionError("no provenance for " + signed + " in " + manifest);
  }

  private static String digestOf(JsonNode dependencies, String name) {
    for (JsonNode dependency : dependencies) {
      if (dependency.path("name").asText().equals(name)) {
        return dependency.path("digest").path("sha256").asText();
      }
    }
    throw new AssertionError("no " + name + " in " + dependencies);
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  private static HttpResponse<String> get(String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + registry.host() + path))
            .header(
                "Accept",
                "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json")
            .timeout(Duration.ofSeconds(30))
            .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }
}
