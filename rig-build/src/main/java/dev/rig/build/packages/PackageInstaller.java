package dev.rig.build.packages;

import dev.rig.apt.control.PackageRecord;
import dev.rig.apt.deb.DebArchive;
import dev.rig.apt.deb.DebDownloader;
import dev.rig.apt.deb.DebUnpacker;
import dev.rig.apt.deb.DownloadEvent;
import dev.rig.build.event.BuildEvent;
import dev.rig.build.event.BuildListener;
import dev.rig.build.lock.ImageLock;
import dev.rig.build.lock.LockedPackage;
import dev.rig.oci.digest.Digest;
import dev.rig.oci.io.AtomicFiles;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Installs a locked package set into a root directory kept in the cache, as dpkg would on a real
 * system, in the stages {@link InstallStages} defines: each stage's packages are installed by the
 * image's own dpkg inside a bubblewrap sandbox ({@link DpkgInstall}), on top of the configured root
 * of the stage below ({@link LinkedRoot}), running every maintainer script (users, alternatives, CA
 * bundle, ld.so cache, triggers). What varies from run to run (logs, backup files, host keys,
 * password ages) is removed or pinned after each stage.
 *
 * <p>Each stage's root is keyed by the exact .deb hashes of its packages, the options and the key
 * of the stage below, so an unchanged lock reuses every stage without downloading or running
 * anything, and an added package runs dpkg for its own stage only.
 */
public final class PackageInstaller {
  /** Bump when the way a root is made changes, so old roots are not reused. */
  // 3: the slim options also filter rig's own unpack (roots of /2 kept excluded files).
  // 4: installed in stages, each root in stages/ sharing unchanged files with the one below.
  private static final String FORMAT = "rig-rootfs/4";

  /** The cache directory of stage roots (by key), the stage plans and the edited-file list. */
  static final String STAGES = "stages";

  private static final String PLANS = "plans";
  private static final String EDITED_IN_PLACE = "edited-in-place";

  private final Path cacheRoot;
  private final Instant created;
  private final BuildListener listener;

  public PackageInstaller(Path cacheRoot, Instant created, BuildListener listener) {
    this.cacheRoot = cacheRoot.toAbsolutePath();
    this.created = created;
    this.listener = listener;
  }

  /**
   * The configured root of {@code lock}'s packages, installed in {@code requested}'s stages: from
   * the cache when every stage is there, else each missing stage on top of the highest cached one.
   */
  public InstalledSystem install(
      String image,
      ImageLock lock,
      List<RepoSource> sources,
      SlimSpec slim,
      List<InstallStages.Requested> requested,
      boolean recommends)
      throws IOException {
    return install(image, lock, sources, slim, requested, recommends, Optional.empty());
  }

  /**
   * As {@link #install(String, ImageLock, List, SlimSpec, List, boolean)}, the lowest stage
   * installed on top of {@code base} (a base image's unpacked root, keyed by its identity) instead
   * of an empty root, by the base's own dpkg.
   */
  public InstalledSystem install(
      String image,
      ImageLock lock,
      List<RepoSource> sources,
      SlimSpec slim,
      List<InstallStages.Requested> requested,
      boolean recommends,
      Optional<BaseRootKey> base)
      throws IOException {
    return install(image, lock, sources, slim, requested, recommends, base, StageSink.NONE);
  }

  /**
   * As {@link #install(String, ImageLock, List, SlimSpec, List, boolean, Optional)}, handing {@code
   * sink} each stage it installs (without a base) below the top one, with the sources whose
   * packages that stage was the last to install.
   */
  public InstalledSystem install(
      String image,
      ImageLock lock,
      List<RepoSource> sources,
      SlimSpec slim,
      List<InstallStages.Requested> requested,
      boolean recommends,
      Optional<BaseRootKey> base,
      StageSink sink)
      throws IOException {
    if (base.isPresent() && lock.packages().isEmpty()) {
      // The base has every package asked for: nothing to install, nothing changes.
      return InstalledSystem.read(base.get().root());
    }
    Path stagesDir = Files.createDirectories(cacheRoot.resolve(STAGES));
    Map<String, LockedPackage> byName = new LinkedHashMap<>();
    lock.packages().forEach(p -> byName.put(p.name(), p));
    Map<LockedPackage, Path> debs = new LinkedHashMap<>();
    String planKey = planKey(lock, slim, requested, recommends);
    List<InstallStages.Stage> stages = readPlan(stagesDir, planKey);
    DebControls known = DebControls.in(stagesDir);
    if (stages.isEmpty()) {
      // Only .debs whose control was never read are verified and opened: a lock that adds one
      // package to a planned one opens that package's .debs, not the whole set again.
      List<PackageRecord> controls = new ArrayList<>();
      List<LockedPackage> unread = new ArrayList<>();
      for (LockedPackage p : lock.packages()) {
        Optional<PackageRecord> control = known.get(p.sha256());
        if (control.isPresent()) {
          controls.add(control.get());
        } else {
          unread.add(p);
        }
      }
      if (!unread.isEmpty()) {
        debs.putAll(download(image, unread, sources));
      }
      for (LockedPackage p : unread) {
        PackageRecord control = PackageRecord.from(DebArchive.open(debs.get(p)).control());
        known.put(p.sha256(), control);
        controls.add(control);
      }
      stages = InstallStages.partition(requested, controls, recommends);
      writePlan(stagesDir, planKey, stages);
    }
    List<String> keys = new ArrayList<>();
    String below =
        FORMAT
            + "\nslim "
            + slim
            + "\nepoch "
            + created.getEpochSecond()
            + base.map(b -> "\nbase " + b.key()).orElse("");
    for (InstallStages.Stage stage : stages) {
      below = stageKey(below, stage, byName);
      keys.add(below);
    }
    int cached = stages.size();
    while (cached > 0 && !Files.isDirectory(stagesDir.resolve(keys.get(cached - 1)))) {
      cached--;
    }
    Path top = stagesDir.resolve(keys.get(keys.size() - 1));
    // Every stage below the top is used too: a gc that kept only the top would cost the next
    // change of a lower stage a rebuild from scratch.
    for (String key : keys) {
      listener.on(new BuildEvent.CacheUsed(image, stagesDir.resolve(key)));
    }
    // The .debs and unpacked trees too, as an image's are: a tool root (a VM's, say) is not an
    // image, so no image's usage record lists its packages.
    reportPackages(listener, image, cacheRoot, lock.packages());
    listener.on(new BuildEvent.CacheUsed(image, stagesDir.resolve(PLANS)));
    listener.on(new BuildEvent.CacheUsed(image, stagesDir.resolve(DebControls.DIR)));
    listener.on(new BuildEvent.CacheUsed(image, stagesDir.resolve(EDITED_IN_PLACE)));
    if (cached == stages.size()) {
      listener.on(
          new BuildEvent.PhaseDone(
              image,
              BuildEvent.Phase.INSTALL,
              Duration.ZERO,
              lock.packages().size(),
              0,
              true,
              lock.packages().size()
                  + " packages in "
                  + stages.size()
                  + " stages, cached (no download, no scripts)"));
      return InstalledSystem.read(top);
    }
    List<LockedPackage> missing = new ArrayList<>();
    for (InstallStages.Stage stage : stages.subList(cached, stages.size())) {
      stage.packages().stream()
          .map(byName::get)
          .filter(p -> !debs.containsKey(p))
          .forEach(missing::add);
    }
    if (!missing.isEmpty()) {
      debs.putAll(download(image, missing, sources));
    }
    long start = System.nanoTime();
    int configured = 0;
    List<Map<LockedPackage, Path>> stageDebs = new ArrayList<>();
    Map<LockedPackage, Path> toInstall = new LinkedHashMap<>();
    for (int s = cached; s < stages.size(); s++) {
      Map<LockedPackage, Path> one = new LinkedHashMap<>();
      for (String name : stages.get(s).packages()) {
        LockedPackage p = byName.get(name);
        one.put(p, debs.get(p));
      }
      stageDebs.add(one);
    }
    for (LockedPackage p : lock.packages()) {
      stageDebs.stream()
          .filter(one -> one.containsKey(p))
          .forEach(one -> toInstall.put(p, one.get(p)));
    }
    Optional<Path> firstLower =
        cached == 0
            ? base.map(BaseRootKey::root)
            : Optional.of(stagesDir.resolve(keys.get(cached - 1)));
    Map<String, PackageRecord> controls = new HashMap<>();
    for (LockedPackage p : toInstall.keySet()) {
      known.get(p.sha256()).ifPresent(control -> controls.put(p.name(), control));
    }
    DecoderRoot decoder =
        DecoderRoot.of(cacheRoot, firstLower, toInstall, controls, created.getEpochSecond());
    List<List<String>> fixedBy =
        base.isPresent() || sink == StageSink.NONE
            ? List.of()
            : sourcesFixedByStage(lock, stages, known, sink.budget());
    try (PreparedDebs prepared = PreparedDebs.start(cacheRoot, decoder, stageDebs)) {
      for (int s = cached; s < stages.size(); s++) {
        Optional<Path> lower =
            s == 0 ? base.map(BaseRootKey::root) : Optional.of(stagesDir.resolve(keys.get(s - 1)));
        Map<LockedPackage, Path> one = stageDebs.get(s - cached);
        Path target = stagesDir.resolve(keys.get(s));
        installStage(image, stagesDir, lower, target, one, slim, prepared);
        configured += one.size();
        // The top stage's layers are built right after it anyway.
        if (s < stages.size() - 1 && s < fixedBy.size() && !fixedBy.get(s).isEmpty()) {
          sink.finished(new FinishedStage(target, fixedBy.get(s)));
        }
      }
    }
    listener.on(
        new BuildEvent.PhaseDone(
            image,
            BuildEvent.Phase.INSTALL,
            Duration.ofNanos(System.nanoTime() - start),
            configured,
            0,
            false,
            configured
                + " packages configured by dpkg in "
                + (stages.size() - cached)
                + " of "
                + stages.size()
                + " stages"
                + (cached == 0 ? "" : " (" + cached + " cached)")));
    return InstalledSystem.read(top);
  }

  /**
   * For each stage, the sources likely to get a layer of their own (by Installed-Size, as {@link
   * PackageLayers#likelyOwnSources} ranks them) whose packages that stage is the last to install,
   * largest first.
   */
  static List<List<String>> sourcesFixedByStage(
      ImageLock lock, List<InstallStages.Stage> stages, DebControls known, int budget)
      throws IOException {
    Map<String, Integer> stageOf = new HashMap<>();
    for (int s = 0; s < stages.size(); s++) {
      for (String name : stages.get(s).packages()) {
        stageOf.put(name, s);
      }
    }
    Map<String, Long> estimated = new HashMap<>();
    Map<String, Integer> lastStage = new HashMap<>();
    for (LockedPackage p : lock.packages()) {
      Optional<PackageRecord> control = known.get(p.sha256());
      String source = control.map(PackageRecord::source).orElse(p.name());
      long bytes = control.map(c -> c.installedSizeKib() * 1024).orElse(p.size());
      estimated.merge(source, bytes, Long::sum);
      lastStage.merge(source, stageOf.getOrDefault(p.name(), stages.size()), Math::max);
    }
    List<List<String>> fixed = new ArrayList<>();
    for (int s = 0; s < stages.size(); s++) {
      fixed.add(new ArrayList<>());
    }
    for (String source : PackageLayers.likelyOwnSources(estimated, budget)) {
      int stage = lastStage.get(source);
      if (stage < stages.size()) {
        fixed.get(stage).add(source);
      }
    }
    return fixed;
  }

  /** A base image's unpacked root and the identity of its filesystem. */
  public record BaseRootKey(Path root, String key) {}

  /**
   * Installs one stage's packages on top of {@code lower} (or into an empty root) and commits the
   * root to {@code target}. When a script edited a linked file in place (so a cached root below
   * changed with it), every cached stage is dropped, the file is remembered to be copied from now
   * on, and the build fails saying to run it again.
   */
  private void installStage(
      String image,
      Path stagesDir,
      Optional<Path> lower,
      Path target,
      Map<LockedPackage, Path> debs,
      SlimSpec slim,
      PreparedDebs prepared)
      throws IOException {
    Path work = stagesDir.resolve(TempNames.prefix() + UUID.randomUUID());
    try {
      Optional<LinkedRoot> linked = Optional.empty();
      if (lower.isPresent()) {
        linked = Optional.of(LinkedRoot.of(lower.get(), work, editedInPlace(stagesDir)));
      }
      new DpkgInstall(cacheRoot, created, listener).install(image, work, debs, slim, prepared);
      Normalizer.clean(work, created);
      if (linked.isPresent()) {
        List<String> changed = linked.get().changedShared();
        if (!changed.isEmpty()) {
          dropStages(stagesDir, changed);
          throw new PackageException(
              "image '"
                  + image
                  + "': a maintainer script edited "
                  + changed.size()
                  + " file(s) of a cached install stage in place (first: /"
                  + changed.get(0)
                  + "); rig dropped its cached stages and copies these files from now on;"
                  + " run the build again");
        }
        linked.get().relinkUnchanged();
      }
      // False when another build made the same root at the same time; theirs is as good as ours.
      AtomicFiles.commitDirectory(work, target);
    } finally {
      deleteTree(work);
    }
  }

  private static Set<String> editedInPlace(Path stagesDir) throws IOException {
    Path file = stagesDir.resolve(EDITED_IN_PLACE);
    return Files.exists(file) ? Set.copyOf(Files.readAllLines(file)) : Set.of();
  }

  private static void dropStages(Path stagesDir, List<String> changed) throws IOException {
    Set<String> edited = new TreeSet<>(editedInPlace(stagesDir));
    edited.addAll(changed);
    AtomicFiles.write(
        stagesDir.resolve(EDITED_IN_PLACE),
        (String.join("\n", edited) + "\n").getBytes(StandardCharsets.UTF_8));
    try (Stream<Path> entries = Files.list(stagesDir)) {
      for (Path entry : entries.toList()) {
        String name = entry.getFileName().toString();
        if (Files.isDirectory(entry) && !name.equals(PLANS) && !name.equals(DebControls.DIR)) {
          deleteTree(entry);
        }
      }
    }
  }

  private String planKey(
      ImageLock lock, SlimSpec slim, List<InstallStages.Requested> requested, boolean recommends) {
    StringBuilder text = new StringBuilder(FORMAT).append('\n');
    text.append("slim ").append(slim).append('\n');
    text.append("recommends ").append(recommends).append('\n');
    requested.forEach(
        r -> text.append("stage ").append(r.name()).append(' ').append(r.requests()).append('\n'));
    lock.packages().stream()
        .map(p -> p.name() + " " + p.architecture() + " " + p.sha256())
        .sorted()
        .forEach(line -> text.append(line).append('\n'));
    return Digest.of(text.toString().getBytes(StandardCharsets.UTF_8)).hex();
  }

  private static String stageKey(
      String below, InstallStages.Stage stage, Map<String, LockedPackage> byName) {
    StringBuilder text = new StringBuilder(below).append('\n');
    text.append("stage ").append(stage.name()).append('\n');
    stage.packages().stream()
        .map(byName::get)
        .map(p -> p.name() + " " + p.architecture() + " " + p.sha256())
        .sorted()
        .forEach(line -> text.append(line).append('\n'));
    return Digest.of(text.toString().getBytes(StandardCharsets.UTF_8)).hex();
  }

  /** The stages a lock was split into before; empty when it was not. */
  private static List<InstallStages.Stage> readPlan(Path stagesDir, String key) throws IOException {
    Path file = stagesDir.resolve(PLANS).resolve(key);
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    List<InstallStages.Stage> stages = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] parts = line.split("\t", -1);
      if (parts.length != 2 || parts[1].isBlank()) {
        return List.of();
      }
      stages.add(new InstallStages.Stage(parts[0], List.of(parts[1].split(" "))));
    }
    return stages;
  }

  private static void writePlan(Path stagesDir, String key, List<InstallStages.Stage> stages)
      throws IOException {
    StringBuilder text = new StringBuilder();
    stages.forEach(
        s ->
            text.append(s.name()).append('\t').append(String.join(" ", s.packages())).append('\n'));
    Path plans = Files.createDirectories(stagesDir.resolve(PLANS));
    AtomicFiles.write(plans.resolve(key), text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Reports each package's .deb and unpacked tree as used by {@code scope}. */
  static void reportPackages(
      BuildListener listener, String scope, Path cacheRoot, List<LockedPackage> packages) {
    for (LockedPackage p : packages) {
      listener.on(new BuildEvent.CacheUsed(scope, DebDownloader.cachePath(cacheRoot, p.sha256())));
      listener.on(new BuildEvent.CacheUsed(scope, DebUnpacker.cachePath(cacheRoot, p.sha256())));
    }
  }

  Map<LockedPackage, Path> download(
      String image, List<LockedPackage> packages, List<RepoSource> sources) throws IOException {
    long start = System.nanoTime();
    AtomicLong fetched = new AtomicLong();
    AtomicLong resumed = new AtomicLong();
    AtomicLong done = new AtomicLong();
    long total = packages.stream().mapToLong(LockedPackage::size).sum();
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
    for (LockedPackage p : packages) {
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
    // Whoever downloads reports the .debs as used (a VM's kernel and driver are not an image's
    // packages): gc keeps them while that build is recent.
    debs.values().forEach(deb -> listener.on(new BuildEvent.CacheUsed(image, deb)));
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
