package dev.rig.build.sign;

import dev.rig.build.result.SignedImage;
import dev.rig.build.sbom.SbomFormat;
import dev.rig.oci.digest.Digest;
import dev.rig.registry.RegistryClient;
import dev.rig.registry.model.ImageReference;
import dev.rig.registry.sign.Attachment;
import dev.rig.registry.sign.AttachmentKind;
import dev.rig.registry.sign.Attachments;
import dev.rig.registry.sign.Dsse;
import dev.rig.registry.sign.PayloadSignature;
import dev.rig.registry.sign.SimpleSigning;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Signs pushed images in the cosign format: a simple-signing signature under the {@code .sig} tag
 * (what skopeo's and podman's sigstoreSigned policies check) and signed in-toto attestations (SLSA
 * provenance, the SBOM) under {@code .att}.
 */
public final class ImageSigner {
  private final RegistryClient client;
  private final PrivateKey key;

  public ImageSigner(RegistryClient client, OpenedKey key) {
    this.client = client;
    this.key = key.key();
  }

  /**
   * What a signed image needs: where it went, which manifest, its provenance inputs and its SBOM.
   *
   * @param sbom the image's SPDX document, attested as it is
   */
  public record Request(
      ImageReference reference,
      Digest digest,
      String image,
      String tag,
      Path spec,
      Path lock,
      Optional<byte[]> sbom) {}

  public SignedImage sign(Request request, String rigVersion) throws IOException {
    Attachments attachments = new Attachments(client);
    ImageReference ref = request.reference();
    Attachments.Subject subject =
        attachments.resolve(
            new ImageReference(
                ref.registry(), ref.repository(), Optional.empty(), Optional.of(request.digest())));
    String signedName =
        ref.registry() + "/" + ref.repository() + ref.tag().map(t -> ":" + t).orElse("");
    byte[] payload = new SimpleSigning(signedName, request.digest()).bytes();
    Attachment signature =
        new Attachment(
            SimpleSigning.MEDIA_TYPE,
            payload,
            Map.of(
                Attachment.SIGNATURE_ANNOTATION,
                Base64.getEncoder().encodeToString(PayloadSignature.sign(key, payload))));
    Attachments.Pushed sig =
        attachments.push(ref, subject, AttachmentKind.SIGNATURE, List.of(signature));

    byte[] statement =
        Provenance.statement(
            ref.registry() + "/" + ref.repository(),
            request.digest(),
            request.image(),
            request.tag(),
            request.spec(),
            request.lock(),
            rigVersion);
    List<String> predicates = new ArrayList<>();
    List<Attachment> attestations = new ArrayList<>();
    attestations.add(attestation(statement, Provenance.PREDICATE_TYPE));
    predicates.add(Provenance.PREDICATE_TYPE);
    if (request.sbom().isPresent()) {
      byte[] sbomStatement =
          Statements.of(
              ref.registry() + "/" + ref.repository(),
              request.digest(),
              SbomFormat.SPDX.predicateType(),
              request.sbom().get());
      attestations.add(attestation(sbomStatement, SbomFormat.SPDX.predicateType()));
      predicates.add(SbomFormat.SPDX.predicateType());
    }
    Attachments.Pushed att =
        attachments.push(ref, subject, AttachmentKind.ATTESTATION, attestations);
    return new SignedImage(
        ref.toString(),
        request.digest().toString(),
        sig.reference().tag().orElseThrow(),
        att.reference().tag().orElseThrow(),
        predicates,
        sig.referrers());
  }

  private Attachment attestation(byte[] statement, String predicateType) {
    Dsse envelope = Dsse.sign(Dsse.IN_TOTO, statement, key);
    return new Attachment(
        Dsse.MEDIA_TYPE,
        envelope.json(),
        Map.of(
            Attachment.SIGNATURE_ANNOTATION,
            "",
            Attachment.PREDICATE_TYPE_ANNOTATION,
            predicateType));
  }
}
