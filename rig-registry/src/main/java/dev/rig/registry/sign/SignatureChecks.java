package dev.rig.registry.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.oci.digest.Digest;
import dev.rig.registry.model.ImageReference;
import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Checks the signatures and attestations fetched for a manifest against a public key: each
 * signature's cryptography, that its payload names this manifest's digest, and that the name it
 * signed is this repository. Pure: the fetching is {@link Attachments}'.
 */
public final class SignatureChecks {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SignatureChecks() {}

  /** One check and its outcome, as a line a person reads. */
  public record Check(boolean passed, String line) {}

  /** An attestation whose envelope verified, and what it states. */
  public record Attested(String predicateType, List<String> subjects) {}

  /**
   * The checks of one signature: it counts when every check made of it passed (a failed
   * cryptographic check ends its checks, since nothing it says can be trusted).
   */
  public record Verdict(List<Check> checks) {
    public Verdict {
      checks = List.copyOf(checks);
    }

    public boolean valid() {
      return checks.size() == 3 && checks.stream().allMatch(Check::passed);
    }
  }

  /**
   * The verdict on each signature; the image is verified when some verdict is valid.
   *
   * @param image the reference as the user gave it (its repository is the identity expected)
   */
  public static List<Verdict> signatures(
      List<Attachment> signatures, PublicKey key, Digest manifest, ImageReference image) {
    List<Verdict> verdicts = new ArrayList<>();
    int n = 0;
    for (Attachment attachment : signatures) {
      n++;
      verdicts.add(
          new Verdict(signature(attachment, "signature " + n + ": ", key, manifest, image)));
    }
    return verdicts;
  }

  /** True when some signature passed every check. */
  public static boolean anyValid(List<Verdict> verdicts) {
    return verdicts.stream().anyMatch(Verdict::valid);
  }

  private static List<Check> signature(
      Attachment attachment, String label, PublicKey key, Digest manifest, ImageReference image) {
    List<Check> checks = new ArrayList<>();
    if (!SimpleSigning.MEDIA_TYPE.equals(attachment.mediaType())) {
      checks.add(
          new Check(
              false, label + "not a simple-signing payload (" + attachment.mediaType() + ")"));
      return checks;
    }
    String encoded = attachment.annotations().getOrDefault(Attachment.SIGNATURE_ANNOTATION, "");
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      signature = new byte[0];
    }
    boolean cryptoOk = PayloadSignature.verify(key, attachment.blob(), signature);
    checks.add(
        new Check(
            cryptoOk,
            label
                + (cryptoOk
                    ? "signed by the given key"
                    : "cryptographic signature verification failed with the given key")));
    if (!cryptoOk) {
      return checks;
    }
    Optional<SimpleSigning> payload = SimpleSigning.parse(attachment.blob());
    if (payload.isEmpty()) {
      checks.add(new Check(false, label + "the payload is not a cosign signature payload"));
      return checks;
    }
    boolean digestOk = payload.get().manifestDigest().equals(manifest);
    checks.add(
        new Check(
            digestOk,
            label
                + "payload digest "
                + payload.get().manifestDigest()
                + (digestOk ? " is the manifest's" : " is not the manifest's " + manifest)));
    boolean identityOk = sameRepository(payload.get().dockerReference(), image);
    checks.add(
        new Check(
            identityOk,
            label
                + "identity "
                + payload.get().dockerReference()
                + (identityOk ? " matches " : " does not match ")
                + image.registry()
                + "/"
                + image.repository()));
    return checks;
  }

  private static boolean sameRepository(String signed, ImageReference image) {
    try {
      ImageReference reference = ImageReference.parse(signed);
      return reference.registry().equals(image.registry())
          && reference.repository().equals(image.repository());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Verifies each attestation's envelope with {@code key} and that its statement is about {@code
   * manifest}; adds a check per attestation and returns those that passed.
   */
  public static List<Attested> attestations(
      List<Attachment> attestations, PublicKey key, Digest manifest, List<Check> checks) {
    List<Attested> good = new ArrayList<>();
    int n = 0;
    for (Attachment attachment : attestations) {
      n++;
      String label = "attestation " + n + ": ";
      Optional<Dsse> envelope = Dsse.parse(attachment.blob());
      if (envelope.isEmpty()) {
        checks.add(new Check(false, label + "not a DSSE envelope"));
        continue;
      }
      byte[] pae = Dsse.pae(envelope.get().payloadType(), envelope.get().payload());
      boolean signed =
          envelope.get().signatures().stream().anyMatch(s -> PayloadSignature.verify(key, pae, s));
      if (!signed) {
        checks.add(
            new Check(false, label + "envelope signature verification failed with the given key"));
        continue;
      }
      JsonNode statement;
      try {
        statement = JSON.readTree(envelope.get().payload());
      } catch (IOException e) {
        checks.add(new Check(false, label + "the statement is not JSON"));
        continue;
      }
      List<String> subjects = new ArrayList<>();
      boolean aboutThis = false;
      for (JsonNode subject : statement.path("subject")) {
        String digest = "sha256:" + subject.path("digest").path("sha256").asText();
        subjects.add(subject.path("name").asText() + "@" + digest);
        aboutThis |= digest.equals(manifest.toString());
      }
      String predicateType = statement.path("predicateType").asText("");
      checks.add(
          new Check(
              aboutThis,
              label
                  + predicateType
                  + (aboutThis
                      ? ", signed, about this manifest"
                      : ", signed, but about another manifest")));
      if (aboutThis) {
        good.add(new Attested(predicateType, subjects));
      }
    }
    return good;
  }
}
