package dev.rig.bench;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The peer build: jib-core as a library, writing a tarball image from scratch with the same files
 * and layers as rig's spec (one layer per package directory), with empty caches. Jib has no
 * symlinks in layers (it would copy the target's bytes), so symlinks are left out; it writes gzip.
 */
final class JibPeer {
  private JibPeer() {}

  /** What Jib was given and how long it took. */
  record Result(double seconds, int files, int skippedSymlinks, long tarBytes) {}

  static Result build(Map<String, Path> layers, Path cacheDir, Path tar) throws Exception {
    long start = System.nanoTime();
    int files = 0;
    int skipped = 0;
    JibContainerBuilder builder = Jib.fromScratch();
    for (Map.Entry<String, Path> layer : layers.entrySet()) {
      FileEntriesLayer.Builder lb = FileEntriesLayer.builder().setName(layer.getKey());
      Path root = layer.getValue();
      List<Path> paths;
      try (Stream<Path> s = Files.walk(root)) {
        paths = s.sorted().toList();
      }
      for (Path p : paths) {
        if (p.equals(root)) {
          continue;
        }
        if (Files.isSymbolicLink(p)) {
          skipped++;
          continue;
        }
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
            && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        Set<PosixFilePermission> perms =
            Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        AbsoluteUnixPath target = AbsoluteUnixPath.get("/" + root.relativize(p));
        lb.addEntry(
            new FileEntry(
                p, target, FilePermissions.fromPosixFilePermissions(perms), Instant.EPOCH, "0:0"));
        files++;
      }
      builder.addFileEntriesLayer(lb.build());
    }
    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      builder.containerize(
          Containerizer.to(TarImage.at(tar).named("bench"))
              .setBaseImageLayersCache(cacheDir.resolve("base"))
              .setApplicationLayersCache(cacheDir.resolve("app"))
              .setExecutorService(pool)
              .setOfflineMode(true)
              .setToolName("rig-bench"));
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(seconds, files, skipped, Files.size(tar));
  }
}
