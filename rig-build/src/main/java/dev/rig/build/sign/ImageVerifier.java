package dev.rig.build.sign;

import dev.rig.build.result.VerifyReport;
import dev.rig.registry.RegistryClient;
import dev.rig.registry.model.ImageReference;
import dev.rig.registry.sign.Attachment;
import dev.rig.registry.sign.AttachmentKind;
import dev.rig.registry.sign.Attachments;
import dev.rig.registry.sign.SignatureChecks;
import dev.rig.registry.sign.SigstoreKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
    String pem;
    try {
      pem = Files.readString(publicKey, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(
          publicKey.toString(), null, "no public key there; give the .pub file of the key pair");
    }
    PublicKey key = SigstoreKeys.readPublic(pem, publicKey.toString());
    Attachments store = new Attachments(client);
    Attachments.Subject subject = store.resolve(ref);
    List<VerifyReport.Line> lines = new ArrayList<>();
    lines.add(new VerifyReport.Line(true, ref + " resolves to " + subject.digest()));
    List<Attachment> signatures = store.fetch(ref, subject.digest(), AttachmentKind.SIGNATURE);
    String sigTag = AttachmentKind.SIGNATURE.tag(subject.digest());
    lines.add(
        new VerifyReport.Line(
            !signatures.isEmpty(),
            signatures.isEmpty()
                ? "no signature stored for this digest (tag " + sigTag + ")"
                : signatures.size() + " signature(s) under " + sigTag));
    List<SignatureChecks.Verdict> verdicts =
        SignatureChecks.signatures(signatures, key, subject.digest(), ref);
    verdicts.forEach(v -> v.checks().forEach(c -> lines.add(line(c))));
    boolean verified = SignatureChecks.anyValid(verdicts);
    List<String> attested = new ArrayList<>();
    if (attestations) {
      List<Attachment> found = store.fetch(ref, subject.digest(), AttachmentKind.ATTESTATION);
      List<SignatureChecks.Check> checks = new ArrayList<>();
      SignatureChecks.attestations(found, key, subject.digest(), checks)
          .forEach(a -> attested.add(a.predicateType()));
      checks.forEach(c -> lines.add(line(c)));
      if (found.isEmpty()) {
        lines.add(
            new VerifyReport.Line(
                false,
                "no attestation stored for this digest (tag "
                    + AttachmentKind.ATTESTATION.tag(subject.digest())
                    + ")"));
      }
      // Attestations by other keys (another signer, an earlier key) may sit beside ours: each gets
      // its line, and the image counts as attested when one verified with this key.
      verified &= !attested.isEmpty();
    }
    return new VerifyReport(ref.toString(), subject.digest().toString(), lines, attested, verified);
  }

  private static VerifyReport.Line line(SignatureChecks.Check check) {
    return new VerifyReport.Line(check.passed(), check.line());
  }
}
