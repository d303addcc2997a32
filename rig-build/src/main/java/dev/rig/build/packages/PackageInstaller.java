package dev.rig.build.packages;

import dev.rig.apt.control.PackageRecord;
import dev.rig.apt.deb.DebDownloader;
import dev.rig.apt.deb.DownloadEvent;
import dev.rig.build.event.BuildEvent;
import dev.rig.build.event.BuildListener;
import dev.rig.build.lock.ImageLock;
import dev.rig.build.lock.LockedPackage;
import dev.rig.oci.digest.Digest;
import dev.rig.oci.io.TempNames;
import dev.rig.spec.SlimSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Installs a locked package set into a root directory kept in the cache, as dpkg would on a real
 * system: the packages are unpacked by rig (so the root holds a working dpkg and shell), then the
 * image's own dpkg installs them again inside a bubblewrap sandbox, running every maintainer script
 * (users, alternatives, CA bundle, ld.so cache, triggers). What varies from run to run (logs,
 * backup files, host keys, password ages) is removed or pinned afterwards.
 *
 * <p>The result is keyed by the exact .deb hashes and options, so an unchanged lock reuses the
 * directory without downloading or running anything.
 */
public final class PackageInstaller {
  /** Bump when the way a root is made changes, so old roots are not reused. */
  // 3: the slim options also filter rig's own unpack (roots of /2 kept excluded files).
  private static final String FORMAT = "rig-rootfs/3";

  private final Path cacheRoot;
  private final Instant created;
  private final BuildListener listener;

  public PackageInstaller(Path cacheRoot, Instant created, BuildListener listener) {
    this.cacheRoot = cacheRoot.toAbsolutePath();
    this.created = created;
    this.listener = listener;
  }

  public InstalledSystem install(
      String image, ImageLock lock, List<RepoSource> sources, SlimSpec slim) throws IOException {
    Path roots = Files.createDirectories(cacheRoot.resolve("rootfs"));
    Path root = roots.resolve(key(lock, slim));
    if (Files.isDirectory(root)) {
      listener.on(new BuildEvent.CacheUsed(image, root));
      listener.on(
          new BuildEvent.PhaseDone(
              image,
              BuildEvent.Phase.INSTALL,
              Duration.ZERO,
              lock.packages().size(),
              0,
              true,
              lock.packages().size() + " packages, cached (no download, no scripts)"));
      return InstalledSystem.read(root);
    }
    Map<LockedPackage, Path> debs = download(image, lock, sources);
    Path work = roots.resolve(TempNames.prefix() + UUID.randomUUID());
    long start;
    try {
      start = System.nanoTime();
      new DpkgInstall(cacheRoot, created, listener).install(image, work, debs, slim);
      Normalizer.clean(work, created);
      // False when another build made the same root at the same time; theirs is as good as ours.
      dev.rig.oci.io.AtomicFiles.commitDirectory(work, root);
    } finally {
      deleteTree(work);
    }
    listener.on(new BuildEvent.CacheUsed(image, root));
    listener.on(
        new BuildEvent.PhaseDone(
            image,
            BuildEvent.Phase.INSTALL,
            Duration.ofNanos(System.nanoTime() - start),
            lock.packages().size(),
            0,
            false,
            lock.packages().size() + " packages configured by dpkg"));
    return InstalledSystem.read(root);
  }

  private String key(ImageLock lock, SlimSpec slim) {
    StringBuilder text = new StringBuilder(FORMAT).append('\n');
    text.append("slim ").append(slim).append('\n');
    text.append("epoch ").append(created.getEpochSecond()).append('\n');
    lock.packages().stream()
        .map(p -> p.name() + " " + p.architecture() + " " + p.sha256())
        .sorted()
        .forEach(line -> text.append(line).append('\n'));
    return Digest.of(text.toString().getBytes(StandardCharsets.UTF_8)).hex();
  }

  private Map<LockedPackage, Path> download(String image, ImageLock lock, List<RepoSource> sources)
      throws IOException {
    long start = System.nanoTime();
    AtomicLong fetched = new AtomicLong();
    AtomicLong resumed = new AtomicLong();
    AtomicLong done = new AtomicLong();
    long total = lock.packages().stream().mapToLong(LockedPackage::size).sum();
    listener.on(
        new BuildEvent.PhaseStarted(
            image, BuildEvent.Phase.DOWNLOAD, total, BuildEvent.Unit.BYTES, ""));
    DebDownloader downloader =
        new DebDownloader(
            cacheRoot,
            4,
            event -> {
              if (event instanceof DownloadEvent.Finished finished) {
                fetched.addAndGet(finished.bytes());
              } else if (event instanceof DownloadEvent.Resumed) {
                resumed.incrementAndGet();
              }
              if (event instanceof DownloadEvent.Finished
                  || event instanceof DownloadEvent.Cached) {
                listener.on(
                    new BuildEvent.PhaseProgress(
                        image,
                        BuildEvent.Phase.DOWNLOAD,
                        done.addAndGet(event.pkg().size()),
                        total,
                        BuildEvent.Unit.BYTES,
                        event.pkg().name()));
              }
            });
    List<DebDownloader.Request> requests = new ArrayList<>();
    Map<PackageRecord, LockedPackage> byRecord = new LinkedHashMap<>();
    for (LockedPackage p : lock.packages()) {
      RepoSource source =
          sources.stream()
              .filter(s -> s.serves(p.repository().uri(), p.repository().suite()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new PackageException(
                          "image '"
                              + image
                              + "': rig.lock takes "
                              + p.name()
                              + " from "
                              + p.repository().uri()
                              + " "
                              + p.repository().suite()
                              + ", which the spec no longer names; run `rig lock`"));
      PackageRecord record = record(p);
      byRecord.put(record, p);
      requests.add(new DebDownloader.Request(record, source.fetcher()));
    }
    Map<PackageRecord, Path> files = downloader.downloadAll(requests);
    Map<LockedPackage, Path> debs = new LinkedHashMap<>();
    files.forEach((record, path) -> debs.put(byRecord.get(record), path));
    listener.on(
        new BuildEvent.PhaseDone(
            image,
            BuildEvent.Phase.DOWNLOAD,
            Duration.ofNanos(System.nanoTime() - start),
            debs.size(),
            fetched.get(),
            fetched.get() == 0,
            debs.size()
                + " .debs verified, "
                + (fetched.get() == 0
                    ? "all from the cache"
                    : fetched.get() / 1024
                        + " KiB fetched"
                        + (resumed.get() == 0
                            ? ""
                            : " (" + resumed.get() + " resumed where a download had stopped)"))));
    return debs;
  }

  /** Enough of an index record to download and verify one locked package. */
  private static PackageRecord record(LockedPackage p) {
    return PackageRecord.forDownload(
        p.name(), p.version(), p.architecture(), p.filename(), p.size(), p.sha256());
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
