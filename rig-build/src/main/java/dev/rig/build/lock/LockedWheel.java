package dev.rig.build.lock;

import java.util.List;

/**
 * One wheel of an image's locked venv: enough to fetch and verify it again without reading any
 * index.
 *
 * @param name the distribution name
 * @param version its exact version
 * @param filename the wheel's file name
 * @param url where it is served, never with credentials
 * @param size its size in bytes
 * @param sha256 its SHA-256, lower-case hex
 * @param requiredBy the requirements that pulled it in (as written, or the names of the
 *     distributions that require it)
 */
public record LockedWheel(
    String name,
    String version,
    String filename,
    String url,
    long size,
    String sha256,
    List<String> requiredBy) {
  public LockedWheel {
    requiredBy = requiredBy == null ? List.of() : requiredBy.stream().sorted().distinct().toList();
  }
}
