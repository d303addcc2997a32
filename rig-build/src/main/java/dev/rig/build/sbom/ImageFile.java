package dev.rig.build.sbom;

/**
 * A regular file rig put into an image from the build host or the spec, not from a package.
 *
 * @param path the absolute path in the image
 * @param origin {@code copyToRoot} or {@code home}
 */
public record ImageFile(String path, String sha1, String sha256, long size, String origin) {}
