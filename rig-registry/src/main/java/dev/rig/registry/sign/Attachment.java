package dev.rig.registry.sign;

import dev.rig.oci.digest.Digest;
import java.util.Map;
import java.util.TreeMap;

/**
 * One layer of a cosign signature or attestation image: its bytes (a simple-signing payload or a
 * DSSE envelope), their media type and the annotations that go with them (the signature itself, for
 * a simple-signing payload).
 */
public record Attachment(String mediaType, byte[] blob, Map<String, String> annotations) {
  public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
  public static final String PREDICATE_TYPE_ANNOTATION = "predicateType";

  public Attachment {
    blob = blob.clone();
    annotations = Map.copyOf(new TreeMap<>(annotations));
  }

  @Override
  public byte[] blob() {
    return blob.clone();
  }

  public Digest digest() {
    return Digest.of(blob);
  }

  /** Same bytes and annotations: an attachment pushed twice is stored once. */
  boolean sameAs(Attachment other) {
    return mediaType.equals(other.mediaType)
        && digest().equals(other.digest())
        && annotations.equals(other.annotations);
  }
}
