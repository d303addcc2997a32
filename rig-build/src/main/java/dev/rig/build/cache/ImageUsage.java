package dev.rig.build.cache;

import dev.rig.build.result.BuiltImage;
import dev.rig.oci.image.ImageLayer;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * The cache entries one build of an image used, named as usage records name them (relative to the
 * cache root): its blobs and their layer index records, known from the image itself; the .debs of
 * its locked packages and their unpacked trees (kept even when the configured root was a hit, so
 * that adding a package later starts from them); and whatever the build reported using (roots,
 * stages, git homes).
 */
public final class ImageUsage {
  private ImageUsage() {}

  /**
   * @param compression the layer index table the build compressed with ({@code
   *     Compression.cacheKey()})
   * @param debSha256 the SHA-256 of each locked .deb
   * @param reported entries the build reported using (absolute, or relative to the cache root)
   */
  public static Set<String> of(
      Path cacheDir,
      BuiltImage image,
      String compression,
      Collection<String> debSha256,
      Collection<Path> reported) {
    Path root = cacheDir.toAbsolutePath().normalize();
    Set<String> entries = new TreeSet<>();
    entries.add(blob(image.image().configDescriptor().digest().hex()));
    entries.add(blob(image.image().manifestDescriptor().digest().hex()));
    for (ImageLayer layer : image.image().layers()) {
      entries.add(blob(layer.blob().digest().hex()));
      entries.add("layers/" + compression + "/" + layer.diffId().hex());
    }
    for (String sha256 : debSha256) {
      entries.add("debs/" + sha256 + ".deb");
      entries.add("unpacked/" + sha256);
    }
    for (Path path : reported) {
      Path relative = path.isAbsolute() ? root.relativize(path.normalize()) : path;
      if (!relative.startsWith("..")) {
        entries.add(relative.toString());
      }
    }
    return entries;
  }

  private static String blob(String hex) {
    return "blobs/sha256/" + hex;
  }
}
