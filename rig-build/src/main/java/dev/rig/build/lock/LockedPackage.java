package dev.rig.build.lock;

import dev.rig.apt.control.PackageRecord;

/**
 * One package of a locked install set: enough to download and verify it again without reading any
 * index (filename, size and SHA-256 come from the signed index at lock time).
 */
public record LockedPackage(
    String name,
    String version,
    String architecture,
    String filename,
    long size,
    String sha256,
    PackageOrigin repository) {

  public static LockedPackage of(PackageRecord p, PackageOrigin origin) {
    return new LockedPackage(
        p.name(),
        p.version().toString(),
        p.architecture(),
        p.filename(),
        p.size(),
        p.sha256(),
        origin);
  }
}
