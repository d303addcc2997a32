package dev.rig.build.packages;

import dev.rig.apt.control.PackageRecord;
import dev.rig.apt.deb.DebDownloader;
import dev.rig.apt.deb.DebUnpacker;
import dev.rig.apt.deb.DownloadEvent;
import dev.rig.apt.deb.UnpackedDeb;
import dev.rig.build.event.BuildEvent;
import dev.rig.build.event.BuildListener;
import dev.rig.build.lock.ImageLock;
import dev.rig.build.lock.LockedPackage;
import dev.rig.build.rootfs.ImageRoot;
import dev.rig.oci.digest.Digest;
import dev.rig.oci.io.Tasks;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
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

  private static final String DEB_DIR = "/var/cache/rig-debs";

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
      bootstrap(image, work, debs, slim);
      start = System.nanoTime();
      listener.on(
          new BuildEvent.PhaseStarted(
              image, BuildEvent.Phase.INSTALL, debs.size(), BuildEvent.Unit.ITEMS, ""));
      configure(image, work, debs, slim);
      Normalizer.clean(work, created);
      // False when another build made the same root at the same time; theirs is as good as ours.
      dev.rig.oci.io.AtomicFiles.commitDirectory(work, root);
    } finally {
      deleteTree(work);
    }
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

  /** Unpacks every package with rig, so the sandbox has dpkg, a shell and their libraries. */
  private void bootstrap(String image, Path work, Map<LockedPackage, Path> debs, SlimSpec slim)
      throws IOException {
    long start = System.nanoTime();
    listener.on(
        new BuildEvent.PhaseStarted(
            image, BuildEvent.Phase.UNPACK, debs.size(), BuildEvent.Unit.ITEMS, ""));
    Files.createDirectories(work);
    DebUnpacker unpacker = new DebUnpacker(cacheRoot);
    RootfsWriter writer = new RootfsWriter(work, SlimRules.keeps(slim));
    // Unpacking (xz or zstd, then the files into the cache) runs on every core; the root is still
    // written in lock order, so a path two packages share ends up the same on every build.
    ExecutorService pool =
        Tasks.daemonPool(
            "rig-unpack", Math.min(debs.size(), Runtime.getRuntime().availableProcessors()));
    try {
      List<Future<UnpackedDeb>> unpacked = new ArrayList<>();
      for (Map.Entry<LockedPackage, Path> deb : debs.entrySet()) {
        unpacked.add(pool.submit(() -> unpacker.unpack(deb.getValue(), deb.getKey().sha256())));
      }
      int written = 0;
      for (Future<UnpackedDeb> next : unpacked) {
        writer.write(Tasks.await(next, "unpacking packages"));
        listener.on(
            new BuildEvent.PhaseProgress(
                image, BuildEvent.Phase.UNPACK, ++written, debs.size(), BuildEvent.Unit.ITEMS, ""));
      }
      listener.on(
          new BuildEvent.PhaseDone(
              image,
              BuildEvent.Phase.UNPACK,
              Duration.ofNanos(System.nanoTime() - start),
              debs.size(),
              0,
              false,
              debs.size() + " packages unpacked by rig"));
    } finally {
      pool.shutdownNow();
    }
    Path admin = Files.createDirectories(work.resolve("var/lib/dpkg"));
    Files.createDirectories(admin.resolve("info"));
    Files.createDirectories(admin.resolve("updates"));
    Files.writeString(admin.resolve("status"), "");
    Files.writeString(admin.resolve("available"), "");
    Files.writeString(admin.resolve("arch"), "amd64\n");
  }

  private void configure(String image, Path work, Map<LockedPackage, Path> debs, SlimSpec slim)
      throws IOException {
    ImageRoot rootDir = ImageRoot.of(work);
    String excludes = SlimRules.dpkgExcludes(slim);
    rootDir.createDirectories("etc/dpkg/dpkg.cfg.d");
    if (!excludes.isEmpty()) {
      rootDir.write(
          "etc/dpkg/dpkg.cfg.d/rig-slim", excludes.getBytes(StandardCharsets.UTF_8), 0644);
    }
    // No daemon may start while scripts run (invoke-rc.d asks policy-rc.d; 101 = not allowed).
    String policy = "usr/sbin/policy-rc.d";
    rootDir.write(policy, "#!/bin/sh\nexit 101\n".getBytes(StandardCharsets.UTF_8), 0755);
    Path debDir = Files.createTempDirectory(cacheRoot, TempNames.prefix() + "debs-");
    try {
      List<String> command = new ArrayList<>();
      command.addAll(
          List.of(
              "dpkg",
              "--install",
              "--force-depends",
              "--force-confdef",
              "--force-confold",
              "--no-triggers"));
      List<Map.Entry<LockedPackage, Path>> ordered = new ArrayList<>(debs.entrySet());
      ordered.sort(Comparator.comparing(e -> e.getKey().name()));
      for (Map.Entry<LockedPackage, Path> deb : ordered) {
        String name = deb.getKey().name() + "_" + deb.getKey().sha256().substring(0, 12) + ".deb";
        Files.createLink(debDir.resolve(name), deb.getValue());
        command.add(DEB_DIR + "/" + name);
      }
      Sandbox sandbox = Sandbox.of(work, created.getEpochSecond());
      // dpkg says "Setting up NAME (VERSION) ..." as it configures each package: the progress.
      AtomicLong configured = new AtomicLong();
      Sandbox.Result install =
          sandbox.run(
              command,
              Map.of(DEB_DIR, debDir),
              1800,
              line -> {
                if (line.startsWith("Setting up ")) {
                  String name = line.substring("Setting up ".length()).split(" ", 2)[0];
                  listener.on(
                      new BuildEvent.PhaseProgress(
                          image,
                          BuildEvent.Phase.INSTALL,
                          configured.incrementAndGet(),
                          debs.size(),
                          BuildEvent.Unit.ITEMS,
                          name));
                }
              });
      Sandbox.Result finish =
          install.exitCode() == 0
              ? sandbox.run(List.of("dpkg", "--configure", "--pending"), Map.of(), 1800)
              : install;
      if (install.exitCode() != 0 || finish.exitCode() != 0) {
        throw new PackageException(
            "image '"
                + image
                + "': dpkg could not install the packages (exit "
                + finish.exitCode()
                + "); its last lines:\n"
                + tail(finish.output(), 25));
      }
      Sandbox.Result audit = sandbox.run(List.of("dpkg", "--audit"), Map.of(), 300);
      if (!audit.output().isBlank()) {
        throw new PackageException(
            "image '"
                + image
                + "': packages are left half-configured:\n"
                + tail(audit.output(), 25));
      }
    } finally {
      deleteTree(debDir);
      // Resolved again: the scripts may have replaced a directory on the way with a link.
      rootDir.delete(policy);
      rootDir.delete(DEB_DIR);
    }
  }

  private static String tail(String text, int lines) {
    List<String> all = text.lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
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
