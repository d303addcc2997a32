package dev.rig.build.sbom;

import java.time.Instant;

/**
 * The image an SBOM describes.
 *
 * @param digest the manifest digest, {@code sha256:...}: the document's namespace and serial number
 *     derive from it, so they are the same for the same image and differ for any other
 * @param created the image's creation time (SOURCE_DATE_EPOCH, or what rig.lock gives)
 */
public record SbomSubject(
    String name, String tag, String digest, String os, String architecture, Instant created) {
  public String reference() {
    return name + ":" + tag;
  }

  /** The hex part of the digest. */
  public String digestHex() {
    return digest.substring(digest.indexOf(':') + 1);
  }

  /** {@code pkg:oci/NAME@sha256:...?tag=TAG}. */
  public Purl purl() {
    return Purl.of("oci", "", name, digest).withQualifier("tag", tag);
  }
}
