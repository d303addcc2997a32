package dev.rig.build.result;

import java.time.Duration;

/**
 * One layer of a built image and what it cost.
 *
 * @param origin {@code cached} (a lookup), {@code rehashed} (tarred once to hash it, its blob
 *     found) or {@code built} (tarred and compressed now)
 * @param bytes the compressed blob's size
 */
public record LayerReport(
    int index, String createdBy, String origin, String digest, long bytes, Duration took) {
  /** Served by the cache with no tar and no compression work. */
  public boolean reused() {
    return origin.equals("cached");
  }
}
