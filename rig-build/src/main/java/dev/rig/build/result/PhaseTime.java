package dev.rig.build.result;

import java.time.Duration;

/**
 * How long one phase took for one scope (an image, or the project), with what it handled: for
 * {@code --json} and the bench.
 */
public record PhaseTime(
    String scope, String phase, Duration took, long count, long bytes, boolean cached) {}
