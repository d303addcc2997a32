package dev.rig.build.memo;

/**
 * The key of one image's build: a SHA-256 over everything the image's bytes are a function of (the
 * image's spec as loaded, rig.lock, the content of every host path the spec names, the build
 * settings, rig's own code).
 */
public record MemoKey(String hex) {}
