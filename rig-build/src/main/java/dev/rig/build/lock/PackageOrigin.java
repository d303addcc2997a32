package dev.rig.build.lock;

/** Where a locked package is downloaded from: repository location, suite and component. */
public record PackageOrigin(String uri, String suite, String component) {}
