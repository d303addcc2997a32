package dev.rig.python.install;

import java.net.URI;

/**
 * One locked wheel to fetch: where from (a URL without credentials) and what it must be.
 *
 * @param fileName the wheel's file name
 * @param url where it is served
 * @param size its size in bytes, or -1 when the index did not say (a user's lock being recorded)
 * @param sha256 its SHA-256, lower-case hex
 */
public record WheelDownload(String fileName, URI url, long size, String sha256) {
  public WheelDownload {
    if (!sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(fileName + ": not a SHA-256: " + sha256);
    }
  }
}
