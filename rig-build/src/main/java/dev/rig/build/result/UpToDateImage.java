package dev.rig.build.result;

/**
 * An image an output already held, unchanged, so that nothing was built (see {@link
 * dev.rig.build.Rig#upToDate}).
 *
 * @param reference {@code NAME:TAG}
 * @param digest the manifest digest, {@code sha256:...}
 * @param layers how many of its layers are its own (not the base's)
 */
public record UpToDateImage(String name, String reference, String digest, int layers) {}
