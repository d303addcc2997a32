package dev.rig.build.sbom;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * The software bill of materials of one built image: what it describes and what it lists, written
 * as SPDX 2.3 or CycloneDX 1.6 JSON. The bytes are a function of the image's digest and contents
 * alone: no clock, no random identifiers, no host paths.
 */
public record Sbom(SbomSubject subject, ImageInventory inventory) {

  /** The document in {@code format}, UTF-8 JSON ending in a newline. */
  public byte[] bytes(SbomFormat format) {
    return switch (format) {
      case SPDX -> spdxJson();
      case CYCLONEDX -> cycloneDxJson();
    };
  }

  public byte[] spdxJson() {
    return SpdxDocument.write(this);
  }

  public byte[] cycloneDxJson() {
    return CycloneDxDocument.write(this);
  }

  /** The file name beside the image, {@code NAME.spdx.json} or {@code NAME.cdx.json}. */
  public String fileName(SbomFormat format) {
    return subject.name() + format.suffix();
  }

  /**
   * A name-based (version 5, SHA-1) UUID of the image digest and the format: stable for the same
   * image, different for any other, as CycloneDX's serialNumber and SPDX's namespace want.
   */
  UUID uuid(SbomFormat format) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      sha1.update(
          ("rig-sbom/" + format.id() + "/" + subject.digest()).getBytes(StandardCharsets.UTF_8));
      byte[] hash = sha1.digest();
      hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
      hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
      long high = 0;
      long low = 0;
      for (int i = 0; i < 8; i++) {
        high = (high << 8) | (hash[i] & 0xff);
        low = (low << 8) | (hash[i + 8] & 0xff);
      }
      return new UUID(high, low);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** rig's version as its jar's manifest gives it ("dev" when run from classes). */
  static String toolVersion() {
    String version = Sbom.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
