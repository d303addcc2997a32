package dev.rig.build.sbom;

import java.util.Locale;

/**
 * The SBOM document formats rig writes, with what a caller needs to store or attach one: the file
 * suffix beside an image, the media type and the in-toto predicate type.
 */
public enum SbomFormat {
  /** SPDX 2.3 JSON. */
  SPDX("spdx", ".spdx.json", "application/spdx+json", "https://spdx.dev/Document"),
  /** CycloneDX 1.6 JSON. */
  CYCLONEDX(
      "cyclonedx", ".cdx.json", "application/vnd.cyclonedx+json", "https://cyclonedx.org/bom");

  private final String id;
  private final String suffix;
  private final String mediaType;
  private final String predicateType;

  SbomFormat(String id, String suffix, String mediaType, String predicateType) {
    this.id = id;
    this.suffix = suffix;
    this.mediaType = mediaType;
    this.predicateType = predicateType;
  }

  /** The name users write ({@code --format spdx}). */
  public String id() {
    return id;
  }

  /** The file name suffix, {@code .spdx.json} or {@code .cdx.json}. */
  public String suffix() {
    return suffix;
  }

  public String mediaType() {
    return mediaType;
  }

  /** The predicate type of an in-toto statement carrying this document. */
  public String predicateType() {
    return predicateType;
  }

  /** The format a user named, in any case. */
  public static SbomFormat parse(String text) {
    for (SbomFormat format : values()) {
      if (format.id.equals(text.toLowerCase(Locale.ROOT))) {
        return format;
      }
    }
    throw new IllegalArgumentException("unknown SBOM format '" + text + "'; use spdx or cyclonedx");
  }

  @Override
  public String toString() {
    return id;
  }
}
