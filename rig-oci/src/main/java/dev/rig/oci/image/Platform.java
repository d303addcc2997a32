package dev.rig.oci.image;

import java.util.Objects;

/**
 * The platform an image runs on, as in an index's manifest descriptors.
 *
 * @param architecture GOARCH spelling, e.g. "amd64", "arm64"
 * @param os e.g. "linux"
 * @param variant e.g. "v8" for arm64; empty when none
 */
public record Platform(String architecture, String os, String variant) {
  public static final Platform LINUX_AMD64 = new Platform("amd64", "linux", "");

  public Platform {
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(os, "os");
    variant = variant == null ? "" : variant;
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
  }
}
