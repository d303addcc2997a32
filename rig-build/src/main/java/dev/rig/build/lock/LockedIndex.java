package dev.rig.build.lock;

/** A Packages index a resolution read, by URL and the SHA-256 signed in its Release file. */
public record LockedIndex(String url, String sha256) {}
