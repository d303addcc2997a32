package dev.rig.build.result;

import java.util.List;
import java.util.Optional;

/**
 * The signature and attestations rig attached to one pushed image.
 *
 * @param signatureTag the tag the signature image is under ({@code sha256-HEX.sig})
 * @param attestationTag the tag of the attestation image ({@code sha256-HEX.att})
 * @param attestations the predicate types attached
 * @param referrers empty when the registry has no referrers API (the tags alone serve), else
 *     whether it lists the signature
 */
public record SignedImage(
    String reference,
    String digest,
    String signatureTag,
    String attestationTag,
    List<String> attestations,
    Optional<Boolean> referrers) {
  public SignedImage {
    attestations = List.copyOf(attestations);
  }
}
