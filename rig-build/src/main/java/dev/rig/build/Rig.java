package dev.rig.build;

import dev.rig.apt.repo.IndexCache;
import dev.rig.build.base.BaseImages;
import dev.rig.build.cache.CacheAdmin;
import dev.rig.build.cache.CacheLock;
import dev.rig.build.cache.CacheReport;
import dev.rig.build.cache.GcLimits;
import dev.rig.build.cache.GcReport;
import dev.rig.build.cache.ImageUsage;
import dev.rig.build.cache.ReportedUse;
import dev.rig.build.cache.UsageRecord;
import dev.rig.build.cache.UsageRecords;
import dev.rig.build.event.BuildEvent;
import dev.rig.build.event.BuildListener;
import dev.rig.build.event.OciEvents;
import dev.rig.build.event.Sizes;
import dev.rig.build.home.GitHomes;
import dev.rig.build.image.BuildSettings;
import dev.rig.build.image.ImageBuilder;
import dev.rig.build.load.ContainerRuntime;
import dev.rig.build.load.ImageLoader;
import dev.rig.build.lock.ImageLock;
import dev.rig.build.lock.LockStore;
import dev.rig.build.lock.LockedPackage;
import dev.rig.build.memo.BuildMemo;
import dev.rig.build.memo.LayoutCheck;
import dev.rig.build.memo.MemoEntry;
import dev.rig.build.memo.MemoKey;
import dev.rig.build.output.ImageExporter;
import dev.rig.build.output.OutputTarget;
import dev.rig.build.packages.PackageNotFoundException;
import dev.rig.build.packages.PackageStage;
import dev.rig.build.packages.RepoSources;
import dev.rig.build.packages.VmPackages;
import dev.rig.build.plan.SpecChecks;
import dev.rig.build.project.ProjectFiles;
import dev.rig.build.push.ImagePushes;
import dev.rig.build.python.PythonStage;
import dev.rig.build.result.BuiltImage;
import dev.rig.build.result.LoadReport;
import dev.rig.build.result.LockReport;
import dev.rig.build.result.PhaseTime;
import dev.rig.build.result.PushedImage;
import dev.rig.build.result.SignedImage;
import dev.rig.build.result.UpToDateImage;
import dev.rig.build.result.VerifyReport;
import dev.rig.build.result.VmRunReport;
import dev.rig.build.sbom.SbomFormat;
import dev.rig.build.sign.GeneratedKey;
import dev.rig.build.sign.ImageSigner;
import dev.rig.build.sign.ImageVerifier;
import dev.rig.build.sign.KeyFiles;
import dev.rig.build.sign.OpenedKey;
import dev.rig.build.sign.SigningKey;
import dev.rig.build.vm.NvidiaDriverException;
import dev.rig.build.vm.VmArtifactWriter;
import dev.rig.build.vm.run.Executables;
import dev.rig.build.vm.run.GuestConfig;
import dev.rig.build.vm.run.HostRoots;
import dev.rig.build.vm.run.KvmProbe;
import dev.rig.build.vm.run.LaunchFiles;
import dev.rig.build.vm.run.LaunchOptions;
import dev.rig.build.vm.run.LaunchPlan;
import dev.rig.build.vm.run.PciAddress;
import dev.rig.build.vm.run.VmArtifacts;
import dev.rig.build.vm.run.VmLauncher;
import dev.rig.oci.cache.BlobCache;
import dev.rig.oci.digest.Digest;
import dev.rig.oci.image.ImageLayer;
import dev.rig.oci.io.TempNames;
import dev.rig.registry.RegistryClient;
import dev.rig.registry.http.ClientStopper;
import dev.rig.registry.model.ImageReference;
import dev.rig.registry.model.PushResult;
import dev.rig.registry.remote.RemoteImages;
import dev.rig.spec.BaseImageRef;
import dev.rig.spec.HomeSource;
import dev.rig.spec.ImageSpec;
import dev.rig.spec.Project;
import dev.rig.spec.SpecCache;
import dev.rig.spec.SpecCacheEvent;
import dev.rig.spec.SpecException;
import dev.rig.spec.SpecLocator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;

/**
 * rig's front door: every caller (the command line, the bench, the tests) runs the pipeline through
 * this one class, with values in and values out.
 *
 * <pre>
 * load ─► build (lock ─► prepare: base, home, packages ─► plan ─► layers) ─► export | push | load
 * </pre>
 *
 * Progress goes to the settings' listener as typed events; every finished phase is also kept
 * ({@link #phases()}) for {@code --json}.
 */
public final class Rig implements AutoCloseable {
  /** What the usage record of an image's VM artifacts adds to the image's reference. */
  private static final String VM_RECORD_SUFFIX = " (vm)";

  private final RigSettings settings;
  private final BuildListener listener;
  private final List<PhaseTime> phases = new ArrayList<>();
  private final RegistryConnections registries;
  private final ReportedUse reportedUse = new ReportedUse();
  private Optional<CacheLock.Lease> cacheLease = Optional.empty();
  private Optional<BuildMemo> memo = Optional.empty();

  /**
   * The memo inputs (all but rig.lock) each image had when its build started, by name: stored once
   * its output is written, under the lock as the build left it, and only if the inputs are still
   * the same then (a file edited during the build must not be remembered as what was built).
   */
  private final Map<String, Pending> pendingMemos = new HashMap<>();

  private record Pending(ImageSpec spec, Path lockFile, String inputs) {}

  private Rig(RigSettings settings) {
    this.settings = settings;
    this.listener =
        event -> {
          if (event instanceof BuildEvent.PhaseDone done) {
            record(done);
          } else if (event instanceof BuildEvent.CacheUsed used) {
            reportedUse.add(used.scope(), used.entry());
            return;
          } else if (event instanceof BuildEvent.HomeCheckedOut home) {
            reportedUse.add(
                home.image(), settings.cacheDir().resolve("home-git").resolve(home.commit()));
          }
          settings.listener().on(event);
        };
    this.registries = new RegistryConnections(settings.registry(), listener);
  }

  public static Rig open(RigSettings settings) {
    return new Rig(settings);
  }

  private synchronized void record(BuildEvent.PhaseDone done) {
    phases.add(
        new PhaseTime(
            done.scope(),
            done.phase().label(),
            done.took(),
            done.count(),
            done.bytes(),
            done.cached()));
  }

  /** Every phase finished so far, in order. */
  public synchronized List<PhaseTime> phases() {
    return List.copyOf(phases);
  }

  /**
   * Loads the spec {@code file} names, or the one in the current directory, through the spec cache
   * (an unchanged spec is not evaluated again).
   */
  public Project load(Optional<Path> file) throws SpecException {
    holdCache();
    long start = System.nanoTime();
    boolean[] cached = {false};
    SpecCache cache =
        SpecCache.in(
            settings.cacheDir().resolve("specs"),
            event -> cached[0] |= event instanceof SpecCacheEvent.Hit);
    Project project = ProjectFiles.load(file, cache);
    listener.on(
        new BuildEvent.PhaseDone(
            "project",
            BuildEvent.Phase.SPEC,
            since(start),
            project.images().size(),
            0,
            cached[0],
            project.images().size()
                + " image(s) in "
                + project.file().getFileName()
                + (cached[0] ? " (evaluated before, unchanged)" : "")));
    return project;
  }

  /**
   * Builds the named images (all when {@code names} is empty) through the cache, installing
   * packages and pinning bases and homes in rig.lock where the spec has them. Nothing is written
   * outside the cache and rig.lock; {@link #export}, {@link #push} and {@link #load} take it from
   * there.
   */
  public List<BuiltImage> build(Project project, List<String> names)
      throws IOException, SpecException {
    return build(project, names, false);
  }

  /**
   * {@link #build(Project, List)}; with {@code locked}, rig.lock is used only as it is (a missing
   * or stale entry stops the build), else a spec that only added packages extends it, holding every
   * locked package at its version.
   */
  public List<BuiltImage> build(Project project, List<String> names, boolean locked)
      throws IOException, SpecException {
    List<ImageSpec> selected = ProjectFiles.select(project, names);
    SpecChecks.check(project, selected);
    holdCache();
    reclaimDebris();
    LockStore locks = locks(project, locked ? LockStore.Mode.LOCKED : LockStore.Mode.USE, Set.of());
    GitHomes homes = homes(locks);
    BaseImages bases = bases(locks, selected);
    List<BuiltImage> images = new ArrayList<>();
    try {
      PackageStage locking = packages(locks, Instant.EPOCH, bases);
      for (ImageSpec image : selected) {
        rememberKey(project, image);
        Instant created = created(image, locking);
        PackageStage stage = locking.at(created);
        ImageBuilder builder =
            new ImageBuilder(
                buildSettings(created),
                listener,
                bases,
                Optional.of(stage),
                Optional.of(python(locks, created)));
        BuiltImage built = builder.build(homes.resolve(image));
        images.add(built);
        recordUsage(project, image, built, stage);
      }
    } catch (PackageNotFoundException e) {
      throw located(project, e);
    } finally {
      // An image resolved for the first time is recorded even when a later one fails.
      locks.save();
    }
    warnIfDiskLow();
    return images;
  }

  /**
   * The named images (all when {@code names} is empty) when {@code target} already holds each one
   * exactly as building it now would make it; empty when any of them must be built. Decided by the
   * build memo: a key over each image's inputs (its spec as loaded, rig.lock, the content of every
   * host path it names, the settings, rig's own code) names what an earlier build with the same key
   * made, and the output must still hold that manifest, every blob at its size and the SBOMs. Only
   * OCI layouts are checked (an archive is rewritten whole anyway). Nothing is resolved, installed
   * or layered; each image found gets an {@link BuildEvent.ImageUpToDate}.
   */
  public Optional<List<UpToDateImage>> upToDate(
      Project project, List<String> names, OutputTarget target) throws IOException, SpecException {
    if (!(target instanceof OutputTarget.OciLayout layout)) {
      return Optional.empty();
    }
    long start = System.nanoTime();
    List<ImageSpec> selected = ProjectFiles.select(project, names);
    SpecChecks.check(project, selected);
    holdCache();
    BuildMemo memo = memo();
    List<UpToDateImage> found = new ArrayList<>();
    try {
      for (ImageSpec image : selected) {
        Optional<MemoKey> key = memo.key(image, lockFile(project), memoSettings());
        Optional<MemoEntry> entry = key.flatMap(memo::lookup);
        if (entry.isEmpty() || !LayoutCheck.holds(layout.dir(), entry.get())) {
          return Optional.empty();
        }
        found.add(
            new UpToDateImage(
                image.name(),
                entry.get().reference(),
                entry.get().digest(),
                entry.get().ownLayers()));
      }
    } finally {
      memo.saveInputStats();
    }
    UsageRecords usage = UsageRecords.in(settings.cacheDir());
    Path projectFile = project.file().toAbsolutePath().normalize();
    for (UpToDateImage image : found) {
      // gc keeps what recent builds used: a build the memo served is as recent as any.
      usage.touch(projectFile, image.reference(), image.digest(), Instant.now());
      listener.on(
          new BuildEvent.ImageUpToDate(
              image.name(), image.reference(), image.digest(), image.layers(), since(start)));
    }
    return Optional.of(found);
  }

  private synchronized BuildMemo memo() {
    if (memo.isEmpty()) {
      memo = Optional.of(BuildMemo.in(settings.cacheDir()));
    }
    return memo.get();
  }

  /** What besides the spec and the lock changes an image's bytes. */
  private String memoSettings() {
    return "compression "
        + settings.compression().cacheKey()
        + "\ncreated "
        + settings.created().map(Instant::toString).orElse("from the lock");
  }

  private static Path lockFile(Project project) {
    return project.file().getParent().resolve("rig.lock");
  }

  private void rememberKey(Project project, ImageSpec image) throws IOException {
    Optional<String> inputs = memo().inputs(image, memoSettings());
    synchronized (this) {
      pendingMemos.remove(image.name());
      inputs.ifPresent(
          i -> pendingMemos.put(image.name(), new Pending(image, lockFile(project), i)));
    }
  }

  /**
   * Remembers what was written to an OCI layout for each image whose inputs (all but the lock) are
   * those it had when its build started, under the lock as the build left it: the digest is a
   * function of the spec and that lock.
   */
  private void storeMemos(List<BuiltImage> images) throws IOException {
    BuildMemo memo = memo();
    for (BuiltImage image : images) {
      Optional<Pending> taken;
      synchronized (this) {
        taken = Optional.ofNullable(pendingMemos.remove(image.name()));
      }
      if (taken.isEmpty()
          || !Optional.of(taken.get().inputs())
              .equals(memo.inputs(taken.get().spec(), memoSettings()))) {
        continue;
      }
      Pending pending = taken.get();
      List<MemoEntry.Blob> blobs = new ArrayList<>();
      for (ImageLayer layer : image.image().layers()) {
        blobs.add(new MemoEntry.Blob(layer.blob().digest().toString(), layer.blob().size()));
      }
      var config = image.image().configDescriptor();
      var manifest = image.image().manifestDescriptor();
      blobs.add(new MemoEntry.Blob(config.digest().toString(), config.size()));
      blobs.add(new MemoEntry.Blob(manifest.digest().toString(), manifest.size()));
      List<String> side = new ArrayList<>();
      for (SbomFormat format : SbomFormat.values()) {
        side.add(ImageExporter.SBOM_DIR + "/" + image.sbom().fileName(format));
      }
      memo.store(
          memo.key(pending.inputs(), pending.lockFile()),
          new MemoEntry(image.reference(), image.digest(), image.layers().size(), blobs, side));
    }
    memo.saveInputStats();
  }

  /**
   * Writes what this build of {@code image} used from the cache (one small file, renamed into
   * place), so that {@code rig cache gc} keeps it while the image is among the recently built.
   */
  private void recordUsage(Project project, ImageSpec image, BuiltImage built, PackageStage stage)
      throws IOException {
    List<String> debs =
        image.parts().packages()
            ? stage.lock(image).packages().stream().map(LockedPackage::sha256).toList()
            : List.of();
    UsageRecords.in(settings.cacheDir())
        .write(
            new UsageRecord(
                built.reference(),
                project.file().toAbsolutePath().normalize(),
                built.digest(),
                Instant.now(),
                ImageUsage.of(
                    settings.cacheDir(),
                    built,
                    settings.compression().cacheKey(),
                    debs,
                    reportedUse.take(image.name()))));
  }

  /**
   * Writes what making {@code image}'s VM artifacts used from the cache (the guest modules built,
   * the tool roots, the kernel's and driver's .debs, the image's blobs) as a usage record of its
   * own, {@code REFERENCE (vm)}: the image's record was written when it was built, before this
   * step, and a later container-only build of the image rewrites that one, so the VM's entries
   * (compiled modules take minutes to make again) would otherwise look unused to {@code rig cache
   * gc}.
   */
  private void recordVmUsage(Project project, BuiltImage image) throws IOException {
    UsageRecords.in(settings.cacheDir())
        .write(
            new UsageRecord(
                image.reference() + VM_RECORD_SUFFIX,
                project.file().toAbsolutePath().normalize(),
                image.digest(),
                Instant.now(),
                ImageUsage.of(
                    settings.cacheDir(),
                    image,
                    settings.compression().cacheKey(),
                    List.of(),
                    reportedUse.takeWithParts(image.name()))));
  }

  /** One statfs: a build that leaves the disk nearly full says how to make room. */
  private void warnIfDiskLow() throws IOException {
    Path cache = settings.cacheDir();
    GcLimits.lowDiskWarning(cache, Files.getFileStore(cache).getUsableSpace())
        .ifPresent(text -> listener.on(new BuildEvent.Notice("cache", text, true)));
  }

  /**
   * Holds the cache's lock shared until {@link #close}, so that a {@code rig cache gc} in another
   * process waits for this run instead of removing what it reads (and this run waits for a gc under
   * way).
   */
  private synchronized void holdCache() {
    if (cacheLease.isPresent()) {
      return;
    }
    try {
      cacheLease =
          Optional.of(
              CacheLock.shared(
                  settings.cacheDir(),
                  waiting -> listener.on(new BuildEvent.Notice("cache", waiting, true))));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot lock the cache "
              + settings.cacheDir()
              + " ("
              + e.getMessage()
              + "); check that it is a writable directory, or choose another with --cache",
          e);
    }
  }

  /**
   * Lets go of the cache before {@link #close}: for a caller that goes on to something long that
   * needs no cache (running a container it loaded), so that a {@code rig cache gc} need not wait
   * for it. A later call that uses the cache takes it again.
   */
  public synchronized void releaseCache() {
    try {
      // Parsed indexes are written in the background; they are the cache's too.
      IndexCache.awaitWrites();
    } catch (IOException e) {
      // A parsed index not stored costs the next build a parse, nothing else.
    }
    cacheLease.ifPresent(CacheLock.Lease::close);
    cacheLease = Optional.empty();
  }

  /** What the cache holds: by kind, by image (their latest builds), and what is reclaimable. */
  public CacheReport cacheReport() throws IOException {
    return CacheAdmin.report(settings.cacheDir());
  }

  /**
   * Removes from the cache what no recent build used, and the least recently used until it meets
   * {@code limits}; waits for builds running on the same cache (in any process) to end first. A dry
   * run reports the same and removes nothing.
   */
  public GcReport collectCache(GcLimits limits, boolean dryRun) throws IOException {
    synchronized (this) {
      if (cacheLease.isPresent()) {
        throw new IllegalStateException(
            "this Rig holds the cache for a build; collect it from another one");
      }
    }
    return CacheAdmin.collect(
        settings.cacheDir(),
        limits,
        dryRun,
        waiting -> listener.on(new BuildEvent.Notice("cache", waiting, true)));
  }

  /**
   * The time written into {@code image}: SOURCE_DATE_EPOCH when set; else the newest {@code Date}
   * of the Release files its packages were locked from, so that an image says when its packages
   * were current and the time is still a function of the spec and rig.lock alone (resolved now when
   * the lock has no entry yet); else 1970-01-01.
   */
  private Instant created(ImageSpec image, PackageStage packages) throws IOException {
    if (settings.created().isPresent()) {
      return settings.created().get();
    }
    if (!image.parts().packages()) {
      return Instant.EPOCH;
    }
    return packages
        .lock(image)
        .newestReleaseDate()
        .map(date -> Instant.ofEpochSecond(date.getEpochSecond()))
        .orElse(Instant.EPOCH);
  }

  /**
   * Removes what interrupted runs left in the cache (half-installed roots, partial unpacks and
   * blobs) before this run adds its own; entries of runs still going are left alone.
   */
  private void reclaimDebris() throws IOException {
    TempNames.Swept swept = CacheAdmin.sweepLeftovers(settings.cacheDir());
    if (swept.entries() > 0) {
      listener.on(
          new BuildEvent.Notice(
              "cache",
              "reclaimed "
                  + swept.entries()
                  + " leftover(s) of interrupted runs ("
                  + Sizes.bytes(swept.bytes())
                  + ")",
              false));
    }
  }

  /** How {@link #lock} treats what rig.lock holds already. */
  public enum LockMode {
    /** Resolve everything again from the current indexes. */
    REFRESH,
    /** Hold every locked package at its version except the moving ones. */
    UPDATE
  }

  /**
   * Resolves the named images' packages, base tags and git homes again and writes rig.lock.
   *
   * @param moving with {@link LockMode#UPDATE}, the packages that may move (the rest are held)
   */
  public LockReport lock(Project project, List<String> names, LockMode mode, Set<String> moving)
      throws IOException, SpecException {
    SpecChecks.check(project, ProjectFiles.select(project, names));
    holdCache();
    LockStore locks =
        locks(
            project,
            mode == LockMode.UPDATE ? LockStore.Mode.UPDATE : LockStore.Mode.REFRESH,
            moving);
    BaseImages bases = bases(locks, ProjectFiles.select(project, names));
    PackageStage stage = packages(locks, Instant.EPOCH, bases);
    GitHomes homes = homes(locks);
    List<String> pinned = new ArrayList<>();
    for (ImageSpec image : ProjectFiles.select(project, names)) {
      if (image.home().orElse(null) instanceof HomeSource.Git git) {
        homes.resolve(image);
        pinned.add(image.name() + ": home " + git.url() + " (" + git.ref() + ") locked");
      }
      if (image.from().orElse(null) instanceof BaseImageRef.RegistryRef ref
          && !ref.reference().contains("@")) {
        bases.load(image);
        pinned.add(image.name() + ": base " + ref.reference() + " locked");
      }
      if (!image.packages().isEmpty()) {
        ImageLock lock;
        try {
          lock = stage.lock(image);
        } catch (PackageNotFoundException e) {
          throw located(project, e);
        }
        pinned.add(image.name() + ": " + lock.packages().size() + " packages locked");
        if (image.python().enable()) {
          int wheels = python(locks, Instant.EPOCH).lock(image, lock).wheels().size();
          pinned.add(image.name() + ": " + wheels + " wheels locked");
        }
      }
    }
    locks.save();
    return new LockReport(pinned, locks.file());
  }

  /** A package no repository has is a mistake in the spec: said with its file and line. */
  private static SpecException located(Project project, PackageNotFoundException e) {
    return new SpecException(
        project.file(),
        SpecLocator.line(project.file(), List.of(e.image(), e.name())),
        "images[\"" + e.image() + "\"].packages",
        "no package named "
            + e.name()
            + " in "
            + String.join("; ", e.searched())
            + (e.closeNames().isEmpty()
                ? ""
                : "; close names that exist: " + String.join(", ", e.closeNames())),
        e.closeNames().isEmpty()
            ? "check the name (apt-cache search NAME), or add the repository that has it"
            : "did you mean " + e.closeNames().get(0) + "?");
  }

  /** Writes the images to one output: an OCI layout, an OCI archive or a docker archive. */
  public void export(List<BuiltImage> images, OutputTarget target) throws IOException {
    if (target instanceof OutputTarget.VmDirectory) {
      throw new IllegalArgumentException(
          "a vm: output needs the project the images were built from: call export(project, ...)");
    }
    new ImageExporter(listener).write(target, images);
    if (target instanceof OutputTarget.OciLayout) {
      storeMemos(images);
    }
  }

  /**
   * Writes the images to one output; a {@code vm:DIR} target gets each image's microVM artifacts
   * (kernel, initramfs, root disk, vm.json), their packages locked like the image's ({@code
   * locked}: only as rig.lock has them).
   */
  public void export(Project project, List<BuiltImage> images, OutputTarget target, boolean locked)
      throws IOException, SpecException {
    if (!(target instanceof OutputTarget.VmDirectory vm)) {
      export(images, target);
      return;
    }
    holdCache();
    LockStore locks = locks(project, locked ? LockStore.Mode.LOCKED : LockStore.Mode.USE, Set.of());
    try {
      BaseImages bases =
          bases(locks, images.stream().map(image -> project.images().get(image.name())).toList());
      PackageStage locking = packages(locks, Instant.EPOCH, bases);
      for (BuiltImage image : images) {
        ImageSpec spec = project.images().get(image.name());
        if (!spec.parts().packages()) {
          throw new IllegalArgumentException(
              "image '"
                  + image.name()
                  + "' installs no packages, and a VM takes its kernel, busybox and mke2fs from"
                  + " the image's distribution; add packages to it or build it with --out oci:DIR");
        }
        Instant created = created(spec, locking);
        VmPackages packages =
            new VmPackages(settings.cacheDir(), created, RepoSources.ofSystem(), locks, listener);
        try {
          new VmArtifactWriter(packages, listener, created).write(spec, image, vm.dir());
          recordVmUsage(project, image);
        } catch (NvidiaDriverException e) {
          throw new SpecException(
              project.file(),
              SpecLocator.line(project.file(), List.of(image.name(), "nvidiaDriver")),
              "images[\"" + image.name() + "\"].vm.gpu.nvidiaDriver",
              e.getMessage(),
              e.hint(),
              e);
        }
      }
    } finally {
      locks.save();
    }
  }

  /**
   * Pushes each image to every repository in its {@code registries}, or the one image to {@code
   * to}, skipping blobs the registry has and mounting those it has in another repository.
   */
  public List<PushedImage> push(
      List<BuiltImage> images, Optional<String> to, ImagePushes.Format format) throws IOException {
    List<ImagePushes.Target> targets = ImagePushes.targets(images, to);
    List<PushedImage> pushed = new ArrayList<>();
    long start = System.nanoTime();
    listener.on(
        new BuildEvent.PhaseStarted(
            "project", BuildEvent.Phase.PUSH, targets.size(), BuildEvent.Unit.ITEMS, ""));
    for (PushResult result : ImagePushes.push(registries.forPush(targets), targets, format)) {
      pushed.add(
          new PushedImage(
              result.reference().toString(),
              result.digest().toString(),
              result.blobsUploaded(),
              result.blobsMounted(),
              result.blobsSkipped(),
              result.bytesUploaded(),
              result.took()));
    }
    listener.on(
        new BuildEvent.PhaseDone(
            "project",
            BuildEvent.Phase.PUSH,
            since(start),
            pushed.size(),
            pushed.stream().mapToLong(PushedImage::bytesUploaded).sum(),
            pushed.stream().allMatch(p -> p.blobsUploaded() == 0),
            pushed.size() + " push(es)"));
    return pushed;
  }

  /**
   * Writes a new signing key pair, {@code PREFIX.key} (sealed with {@code passphrase}) and {@code
   * PREFIX.pub}, in the format cosign and skopeo use.
   */
  public static GeneratedKey generateKey(Path prefix, byte[] passphrase) throws IOException {
    return KeyFiles.generate(prefix, passphrase);
  }

  /**
   * Opens a signing key with its passphrase: before a build, so that a wrong passphrase stops the
   * command before it pushes.
   */
  public static OpenedKey openKey(SigningKey key) throws IOException {
    return OpenedKey.open(key);
  }

  /**
   * Signs what {@link #push} pushed (the same {@code images} and {@code to}, its results in order):
   * a cosign signature and a signed SLSA provenance attestation for each pushed manifest.
   */
  public List<SignedImage> sign(
      Project project,
      List<BuiltImage> images,
      Optional<String> to,
      List<PushedImage> pushed,
      OpenedKey key)
      throws IOException {
    List<ImagePushes.Target> targets = ImagePushes.targets(images, to);
    if (targets.size() != pushed.size()) {
      throw new IllegalArgumentException(
          "sign needs the results of pushing these images: "
              + targets.size()
              + " targets, "
              + pushed.size()
              + " results");
    }
    long start = System.nanoTime();
    ImageSigner signer = new ImageSigner(registries.forPush(targets), key);
    Path spec = project.file().toAbsolutePath();
    Path lock = spec.getParent().resolve("rig.lock");
    List<SignedImage> signed = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      ImagePushes.Target target = targets.get(i);
      SignedImage result =
          signer.sign(
              new ImageSigner.Request(
                  target.reference(),
                  Digest.parse(pushed.get(i).digest()),
                  target.image().name(),
                  target.image().tag(),
                  spec,
                  lock,
                  Optional.of(target.image().sbom().bytes(SbomFormat.SPDX))),
              version());
      boolean unlisted = result.referrers().isPresent() && !result.referrers().get();
      listener.on(
          new BuildEvent.Notice(
              target.image().name(),
              "signed "
                  + result.reference()
                  + " ("
                  + result.signatureTag()
                  + ", attestations "
                  + String.join(", ", result.attestations())
                  + (result.referrers().isEmpty()
                      ? "; the registry has no referrers API, tags only"
                      : unlisted
                          ? "; the registry's referrers API does not list the signature: tools"
                              + " that read only referrers will not find it, the tag still serves"
                          : "; listed as a referrer too")
                  + ")",
              unlisted));
      signed.add(result);
    }
    listener.on(
        new BuildEvent.Notice(
            "project",
            signed.size() + " image(s) signed in " + Sizes.seconds(since(start)),
            false));
    return signed;
  }

  /**
   * Checks the signatures stored for the manifest {@code reference} names with {@code publicKey};
   * with {@code attestations}, also the signed attestations, which the report lists.
   */
  public VerifyReport verify(String reference, Path publicKey, boolean attestations)
      throws IOException {
    ImageReference ref = ImageReference.parse(reference);
    return ImageVerifier.verify(registries.forReference(ref), ref, publicKey, attestations);
  }

  /** rig's version, as its jar says (named in provenance), or "dev" when run from classes. */
  public static String version() {
    String version = Rig.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  /**
   * Puts the images into podman or docker, sending only what the engine's store lacks (see {@link
   * ImageLoader}).
   */
  public LoadReport load(List<BuiltImage> images, ContainerRuntime runtime) throws IOException {
    try {
      return new ImageLoader(runtime, listener).load(images);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while loading into " + runtime.kind(), e);
    }
  }

  /**
   * Boots a VM build (see {@link VmRunRequest}) with the best hypervisor here, the serial console
   * on {@code console}, until the VM ends; a dry run writes the hypervisors' configuration files
   * next to the artifacts and returns the command without starting it. A failed passthrough
   * preflight stops a real run (its checks went to the listener); a dry run still shows the
   * command.
   */
  public VmRunReport vmRun(VmRunRequest request, OutputStream console)
      throws IOException, InterruptedException {
    VmArtifacts vm = VmArtifacts.open(request.dir());
    List<PciAddress> gpus = new ArrayList<>();
    for (String gpu : request.gpus()) {
      gpus.add(PciAddress.parse(gpu));
    }
    LaunchOptions options =
        new LaunchOptions(
            request.sshPort(),
            (request.sshKey().isPresent()
                    ? GuestConfig.withKeyFile(request.sshKey().get())
                    : GuestConfig.none())
                .withVariables(request.env()),
            gpus,
            request.bind(),
            request.tapDevice(),
            request.stopTimeout());
    VmLauncher launcher =
        new VmLauncher(
            Executables.fromEnvironment(System.getenv()),
            KvmProbe.standard(),
            HostRoots.system(),
            listener);
    Path runDir = Files.createTempDirectory("rig-vm-");
    try {
      LaunchPlan plan = launcher.plan(vm, options, runDir);
      List<Path> files = request.dryRun() ? LaunchFiles.write(vm) : List.of();
      if (!request.dryRun() && !plan.preflightPassed()) {
        throw new IOException(
            "the GPU passthrough preflight failed (see the checks above); fix them, or pass"
                + " --bind to bind the devices to vfio-pci");
      }
      OptionalInt exit =
          request.dryRun()
              ? OptionalInt.empty()
              : OptionalInt.of(launcher.run(plan, console, options.stopTimeout()));
      return new VmRunReport(
          vm.descriptor().image(),
          plan.choice().hypervisor().label(),
          plan.choice().kvm(),
          plan.argv(),
          plan.commandLine(),
          plan.forwardsSsh() ? plan.settings().sshPort() : 0,
          files,
          plan.preflightPassed(),
          exit);
    } finally {
      deleteTree(runDir);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** Stops the HTTP clients (their selector threads would hold the JVM 0.3 s at exit). */
  @Override
  public void close() {
    releaseCache();
    registries.close();
    ClientStopper.stopAll();
  }

  private BuildSettings buildSettings(Instant created) {
    return new BuildSettings(
        settings.cacheDir(), settings.compression(), created, memo().fileHashes());
  }

  /** The project's rig.lock, next to the spec file. */
  private static LockStore locks(Project project, LockStore.Mode mode, Set<String> moving)
      throws IOException {
    return LockStore.open(project.file().getParent().resolve("rig.lock"), mode, moving);
  }

  private PackageStage packages(LockStore locks, Instant created, BaseImages bases) {
    return new PackageStage(
        settings.cacheDir(), created, RepoSources.ofSystem(), locks, listener, Optional.of(bases));
  }

  /** Python venvs: wheels pinned in rig.lock, fetched into the cache, installed by rig. */
  private PythonStage python(LockStore locks, Instant created) {
    return new PythonStage(settings.cacheDir(), created, locks, listener, System.getenv());
  }

  /** Git homes checked out into the cache, their refs pinned in rig.lock. */
  private GitHomes homes(LockStore locks) {
    return new GitHomes(settings.cacheDir(), locks::pinHome, listener);
  }

  /** Base images from layouts and registries, tags pinned in rig.lock. */
  private BaseImages bases(LockStore locks, List<ImageSpec> images) throws IOException {
    BlobCache cache =
        BlobCache.open(settings.cacheDir(), OciEvents.to(listener, "cache", BuildEvent.Phase.BASE));
    RegistryClient client = registries.forBases(images);
    return BaseImages.withRegistry(new RemoteImages(client, cache), locks::pinBase);
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
