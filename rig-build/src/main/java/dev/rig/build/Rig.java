package dev.rig.build;

import dev.rig.build.base.BaseImages;
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
import dev.rig.build.output.ImageExporter;
import dev.rig.build.output.OutputTarget;
import dev.rig.build.packages.PackageNotFoundException;
import dev.rig.build.packages.PackageStage;
import dev.rig.build.packages.RepoSources;
import dev.rig.build.plan.SpecChecks;
import dev.rig.build.project.ProjectFiles;
import dev.rig.build.push.ImagePushes;
import dev.rig.build.result.BuiltImage;
import dev.rig.build.result.LoadReport;
import dev.rig.build.result.LockReport;
import dev.rig.build.result.PhaseTime;
import dev.rig.build.result.PushedImage;
import dev.rig.oci.cache.BlobCache;
import dev.rig.oci.io.TempNames;
import dev.rig.registry.RegistryClient;
import dev.rig.registry.http.ClientStopper;
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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
  private final RigSettings settings;
  private final BuildListener listener;
  private final List<PhaseTime> phases = new ArrayList<>();
  private final RegistryConnections registries;

  private Rig(RigSettings settings) {
    this.settings = settings;
    this.listener =
        event -> {
          if (event instanceof BuildEvent.PhaseDone done) {
            record(done);
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
    List<ImageSpec> selected = ProjectFiles.select(project, names);
    SpecChecks.check(project, selected);
    reclaimDebris();
    LockStore locks = locks(project, LockStore.Mode.USE, Set.of());
    GitHomes homes = homes(locks);
    BaseImages bases = bases(locks, selected);
    List<BuiltImage> images = new ArrayList<>();
    try {
      for (ImageSpec image : selected) {
        Instant created = created(image, locks);
        ImageBuilder builder =
            new ImageBuilder(
                buildSettings(created), listener, bases, Optional.of(packages(locks, created)));
        images.add(builder.build(homes.resolve(image)));
      }
    } catch (PackageNotFoundException e) {
      throw located(project, e);
    } finally {
      // An image resolved for the first time is recorded even when a later one fails.
      locks.save();
    }
    return images;
  }

  /**
   * The time written into {@code image}: SOURCE_DATE_EPOCH when set; else the newest {@code Date}
   * of the Release files its packages were locked from, so that an image says when its packages
   * were current and the time is still a function of the spec and rig.lock alone (resolved now when
   * the lock has no entry yet); else 1970-01-01.
   */
  private Instant created(ImageSpec image, LockStore locks) throws IOException {
    if (settings.created().isPresent()) {
      return settings.created().get();
    }
    if (!image.parts().packages()) {
      return Instant.EPOCH;
    }
    return packages(locks, Instant.EPOCH)
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
    Path cache = settings.cacheDir();
    TempNames.Swept swept =
        TempNames.sweep(
            cache,
            cache.resolve("rootfs"),
            cache.resolve("unpacked"),
            cache.resolve("home-git"),
            cache.resolve("debs"),
            cache.resolve("blobs").resolve("sha256"),
            cache.resolve("layers").resolve("inputs"),
            cache.resolve("layers").resolve("paths"),
            cache.resolve("layers").resolve("gzip"),
            cache.resolve("layers").resolve("zstd"),
            cache.resolve("layers").resolve("none"),
            cache.resolve("specs"));
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
    LockStore locks =
        locks(
            project,
            mode == LockMode.UPDATE ? LockStore.Mode.UPDATE : LockStore.Mode.REFRESH,
            moving);
    PackageStage stage = packages(locks, Instant.EPOCH);
    BaseImages bases = bases(locks, ProjectFiles.select(project, names));
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
    new ImageExporter(listener).write(target, images);
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

  /** Stops the HTTP clients (their selector threads would hold the JVM 0.3 s at exit). */
  @Override
  public void close() {
    registries.close();
    ClientStopper.stopAll();
  }

  private BuildSettings buildSettings(Instant created) {
    return new BuildSettings(settings.cacheDir(), settings.compression(), created);
  }

  /** The project's rig.lock, next to the spec file. */
  private static LockStore locks(Project project, LockStore.Mode mode, Set<String> moving)
      throws IOException {
    return LockStore.open(project.file().getParent().resolve("rig.lock"), mode, moving);
  }

  private PackageStage packages(LockStore locks, Instant created) {
    return new PackageStage(settings.cacheDir(), created, RepoSources.ofSystem(), locks, listener);
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
