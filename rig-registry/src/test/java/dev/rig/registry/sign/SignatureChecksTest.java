package dev.rig.registry.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.oci.digest.Digest;
import dev.rig.registry.model.ImageReference;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What makes a signature count: the key, the manifest digest and the repository, all three. */
class SignatureChecksTest {
  private static final KeyPair KEY = SigstoreKeys.generate(new SecureRandom());
  private static final Digest MANIFEST = Digest.of("manifest".getBytes(StandardCharsets.UTF_8));
  private static final ImageReference IMAGE = ImageReference.parse("127.0.0.1:5000/team/app:1");

  private static Attachment signature(String reference, Digest digest) {
    byte[] payload = new SimpleSigning(reference, digest).bytes();
    return new Attachment(
        SimpleSigning.MEDIA_TYPE,
        payload,
        Map.of(
            Attachment.SIGNATURE_ANNOTATION,
            Base64.getEncoder().encodeToString(PayloadSignature.sign(KEY.getPrivate(), payload))));
  }

  private static List<SignatureChecks.Verdict> check(Attachment... signatures) {
    return SignatureChecks.signatures(List.of(signatures), KEY.getPublic(), MANIFEST, IMAGE);
  }

  @Test
  void aSignatureOfThisDigestAndRepositoryWithThisKeyCounts() {
    List<SignatureChecks.Verdict> checks =
        check(signature("127.0.0.1:5000/team/app:other", MANIFEST));
    assertEquals(3, checks.get(0).checks().size(), checks.toString());
    assertTrue(SignatureChecks.anyValid(checks), checks.toString());
  }

  @Test
  void anotherRepositoryAnotherDigestOrAnotherKeyDoesNot() {
    List<SignatureChecks.Verdict> repository =
        check(signature("127.0.0.1:5000/team/evil:1", MANIFEST));
    assertFalse(SignatureChecks.anyValid(repository), repository.toString());
    assertTrue(
        repository.get(0).checks().get(2).line().contains("does not match"), repository.toString());

    Digest other = Digest.of("other".getBytes(StandardCharsets.UTF_8));
    List<SignatureChecks.Verdict> digest = check(signature("127.0.0.1:5000/team/app:1", other));
    assertFalse(SignatureChecks.anyValid(digest), digest.toString());

    KeyPair stranger = SigstoreKeys.generate(new SecureRandom());
    List<SignatureChecks.Verdict> key =
        SignatureChecks.signatures(
            List.of(signature("127.0.0.1:5000/team/app:1", MANIFEST)),
            stranger.getPublic(),
            MANIFEST,
            IMAGE);
    assertFalse(SignatureChecks.anyValid(key), key.toString());

    // One good signature among bad ones is enough.
    List<SignatureChecks.Verdict> mixed =
        check(
            signature("127.0.0.1:5000/team/evil:1", MANIFEST),
            signature("127.0.0.1:5000/team/app:1", MANIFEST));
    assertTrue(SignatureChecks.anyValid(mixed), mixed.toString());
  }

  @Test
  void anAttestationCountsOnlyWhenSignedAndAboutThisManifest() {
    String statement =
        "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"x\",\"digest\":"
            + "{\"sha256\":\""
            + MANIFEST.hex()
            + "\"}}],\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{}}";
    Attachment good =
        new Attachment(
            Dsse.MEDIA_TYPE,
            Dsse.sign(Dsse.IN_TOTO, statement.getBytes(StandardCharsets.UTF_8), KEY.getPrivate())
                .json(),
            Map.of());
    String elsewhere = statement.replace(MANIFEST.hex(), "0".repeat(64));
    Attachment about =
        new Attachment(
            Dsse.MEDIA_TYPE,
            Dsse.sign(Dsse.IN_TOTO, elsewhere.getBytes(StandardCharsets.UTF_8), KEY.getPrivate())
                .json(),
            Map.of());
    List<SignatureChecks.Check> checks = new ArrayList<>();
    List<SignatureChecks.Attested> attested =
        SignatureChecks.attestations(List.of(good, about), KEY.getPublic(), MANIFEST, checks);
    assertEquals(1, attested.size(), checks.toString());
    assertEquals("https://slsa.dev/provenance/v1", attested.get(0).predicateType());
    assertTrue(checks.get(0).passed());
    assertFalse(checks.get(1).passed());
  }
}
