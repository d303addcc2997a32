package dev.rig.registry.sign;

import dev.rig.oci.digest.Digest;

/** Signatures and attestations live in images of their own, tagged after the manifest digest. */
public enum AttachmentKind {
  SIGNATURE("sig"),
  ATTESTATION("att");

  private final String suffix;

  AttachmentKind(String suffix) {
    this.suffix = suffix;
  }

  /** {@code sha256-HEX.sig} or {@code .att}: the tag cosign and skopeo look under. */
  public String tag(Digest subject) {
    return subject.algorithm() + "-" + subject.hex() + "." + suffix;
  }
}
