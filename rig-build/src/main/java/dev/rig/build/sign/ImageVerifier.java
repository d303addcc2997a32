package dev.rig.build.sign;

import dev.rig.build.result.VerifyReport;
import dev.rig.registry.RegistryClient;
import dev.rig.registry.model.ImageReference;
import dev.rig.registry.sign.AttachmentKind;
import dev.rig.registry.sign.Attachments;
import dev.rig.registry.sign.SignatureChecks;
import dev.rig.registry.sign.SigstoreKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code rig verify}: resolves the reference to a manifest digest, fetches the signatures stored
 * for that digest and checks them with the public key; with attestations, also each attestation's
 * envelope and subject.
 */
public final class ImageVerifier {
  private ImageVerifier() {}

  public static VerifyReport verify(
      RegistryClient client, ImageReference ref, Path publicKey, boolean attestations)
      throws IOException {
    PublicKey key =
        SigstoreKeys.readPublic(
            Files.readString(publicKey, StandardCharsets.US_ASCII), publicKey.toString());
    Attachments store = new Attachments(client);
    Attachments.Subject subject = store.resolve(ref);
    List<VerifyReport.Line> lines = new ArrayList<>();
    lines.add(new VerifyReport.Line(true, ref + " resolves to " + subject.digest()));
    var signatures = store.fetch(ref, subject.digest(), AttachmentKind.SIGNATURE);
    String sigTag = AttachmentKind.SIGNATURE.tag(subject.digest());
    lines.add(
        new VerifyReport.Line(
            !signatures.isEmpty(),
            signatures.isEmpty()
                ? "no signature stored for this digest (tag " + sigTag + ")"
                : signatures.size() + " signature(s) under " + sigTag));
    List<SignatureChecks.Check> checks =
        new ArrayList<>(SignatureChecks.signatures(signatures, key, subject.digest(), ref));
    boolean verified = SignatureChecks.anyValid(checks);
    List<String> attested = new ArrayList<>();
    if (attestations) {
      var found = store.fetch(ref, subject.digest(), AttachmentKind.ATTESTATION);
      List<SignatureChecks.Check> attestationChecks = new ArrayList<>();
      for (SignatureChecks.Attested a :
          SignatureChecks.attestations(found, key, subject.digest(), attestationChecks)) {
        attested.add(a.predicateType());
      }
      checks.addAll(attestationChecks);
      if (found.isEmpty()) {
        checks.add(
            new SignatureChecks.Check(
                false,
                "no attestation stored for this digest (tag "
                    + AttachmentKind.ATTESTATION.tag(subject.digest())
                    + ")"));
      }
      verified &=
          checks.stream()
                  .filter(c -> c.line().startsWith("attestation"))
                  .allMatch(SignatureChecks.Check::passed)
              && !found.isEmpty();
    }
    checks.forEach(c -> lines.add(new VerifyReport.Line(c.passed(), c.line())));
    return new VerifyReport(ref.toString(), subject.digest().toString(), lines, attested, verified);
  }
}
