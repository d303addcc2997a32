package dev.rig.python.index;

/** The size and SHA-256 of a file, measured by downloading it. */
public record FileFacts(long size, String sha256) {}
