package dev.rig.build.lock;

import dev.rig.build.base.BasePins;
import dev.rig.build.home.HomePins;
import dev.rig.registry.model.ImageReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A project's rig.lock and the policy for using it. A build uses the lock, creates the entry of an
 * image that has none, and stops when the spec has moved away from it; {@code rig lock} resolves
 * again; {@code rig update PKG...} resolves again with everything else held at its locked version.
 */
public final class LockStore {
  /** How a build treats the lock. */
  public enum Mode {
    /**
     * Use it; add missing images; extend an entry whose spec only added packages, holding every
     * locked one; refuse any other stale entry.
     */
    USE,
    /** Use it as it is: refuse a missing or stale entry (CI's `--locked`). */
    LOCKED,
    /** Resolve every selected image again. */
    REFRESH,
    /** Resolve again, holding all packages but {@link #moving} at their locked versions. */
    UPDATE
  }

  /** Resolves an image's packages, with extra exact pins for {@link Mode#UPDATE}. */
  @FunctionalInterface
  public interface Resolve {
    ImageLock resolve(List<String> extraPins) throws IOException;
  }

  private final Path file;
  private final Mode mode;
  private final Set<String> moving;
  private LockFile lock;
  private boolean changed;

  private LockStore(Path file, Mode mode, Set<String> moving, LockFile lock) {
    this.file = file;
    this.mode = mode;
    this.moving = Set.copyOf(moving);
    this.lock = lock;
  }

  public static LockStore open(Path file, Mode mode, Set<String> moving) throws IOException {
    LockFile lock = Files.isRegularFile(file) ? LockFile.read(file) : LockFile.empty();
    return new LockStore(file, mode, moving, lock);
  }

  public Path file() {
    return file;
  }

  public synchronized ImageLock lockFor(String image, LockInput input, Resolve resolver)
      throws IOException {
    return lockFor(image, input, resolver, lock.image(image), "", LockFile::with);
  }

  /**
   * The locked build-tool set of an image (packages rig runs at build time beside the image, as the
   * JDK that links rig-init's Java runtime), under the same policy as {@link #lockFor}.
   */
  public synchronized ImageLock toolsFor(String image, LockInput input, Resolve resolver)
      throws IOException {
    return lockFor(
        image, input, resolver, lock.tools(image), " (build tools)", LockFile::withTools);
  }

  private interface Replace {
    LockFile with(LockFile lock, String image, ImageLock entry);
  }

  private ImageLock lockFor(
      String image,
      LockInput input,
      Resolve resolver,
      Optional<ImageLock> existing,
      String what,
      Replace replace)
      throws IOException {
    if (mode == Mode.LOCKED && existing.isEmpty()) {
      throw new LockException(
          file
              + ": no entry for image "
              + image
              + what
              + " and --locked is given; run `rig lock "
              + image
              + "`");
    }
    boolean extend = false;
    if ((mode == Mode.USE || mode == Mode.LOCKED) && existing.isPresent()) {
      LockCheck check = existing.get().check(input);
      if (check.matches()) {
        return existing.get();
      }
      extend = mode == Mode.USE && input.onlyAddsTo(existing.get().input());
      if (!extend) {
        throw new LockException(
            file
                + ": "
                + check.message(image)
                + what
                + "; run `rig lock "
                + image
                + "` to resolve it again (or `rig update PKG` to move single packages)");
      }
    }
    List<String> pins = new ArrayList<>();
    if ((mode == Mode.UPDATE || extend) && existing.isPresent()) {
      for (var p : existing.get().packages()) {
        if (!moving.contains(p.name()) && !isRequested(input, p.name())) {
          pins.add(p.name() + "=" + p.version());
        }
      }
    }
    ImageLock fresh = resolver.resolve(pins);
    lock = replace.with(lock, image, fresh);
    changed = true;
    return fresh;
  }

  private static boolean isRequested(LockInput input, String name) {
    return input.packages().stream().anyMatch(r -> r.equals(name) || r.startsWith(name + "="));
  }

  /** Resolves an image's wheels. */
  @FunctionalInterface
  public interface ResolveWheels {
    WheelLock resolve() throws IOException;
  }

  /**
   * The locked wheels of an image's venv: the recorded ones while the spec's Python input is the
   * same (in {@link Mode#USE} and {@link Mode#LOCKED}), else {@code resolver}'s answer, recorded;
   * {@link Mode#LOCKED} refuses a missing or stale entry.
   */
  public synchronized WheelLock wheelsFor(String image, WheelInput input, ResolveWheels resolver)
      throws IOException {
    Optional<WheelLock> existing = lock.wheels(image);
    if (mode == Mode.USE || mode == Mode.LOCKED) {
      if (existing.isPresent()) {
        LockCheck check = existing.get().check(input);
        if (check.matches()) {
          return existing.get();
        }
        if (mode == Mode.LOCKED) {
          throw new LockException(
              file
                  + ": the wheels of image "
                  + image
                  + " are stale and --locked is given:\n  - "
                  + String.join("\n  - ", check.changes())
                  + "\nrun `rig lock "
                  + image
                  + "` to resolve them again");
        }
      } else if (mode == Mode.LOCKED) {
        throw new LockException(
            file
                + ": no wheels for image "
                + image
                + " and --locked is given; run `rig lock "
                + image
                + "`");
      }
    }
    WheelLock fresh = resolver.resolve();
    lock = lock.withWheels(image, fresh);
    changed = true;
    return fresh;
  }

  /**
   * The digest a base image tag is locked to: the recorded one while the spec names the same
   * reference (and the mode is not a refresh), else the registry's answer, recorded.
   */
  public synchronized ImageReference pinBase(
      String image, ImageReference tagged, BasePins.Resolve resolve) throws IOException {
    var recorded = lock.base(image).map(ImageReference::parse);
    if (mode == Mode.USE
        && recorded.isPresent()
        && recorded.get().registry().equals(tagged.registry())
        && recorded.get().repository().equals(tagged.repository())
        && recorded.get().tag().equals(tagged.tag())
        && recorded.get().digest().isPresent()) {
      return recorded.get();
    }
    ImageReference pinned = resolve.resolve();
    lock = lock.withBase(image, pinned.toString());
    changed = true;
    return pinned;
  }

  /**
   * The commit a git home is locked to: the recorded one while the spec names the same repository
   * and ref (and the mode is not a refresh), else {@code resolve}'s answer, recorded.
   */
  public synchronized String pinHome(String image, String url, String ref, HomePins.Resolve resolve)
      throws IOException {
    var recorded = lock.home(image);
    if (mode == Mode.USE && recorded.isPresent() && recorded.get().pins(url, ref)) {
      return recorded.get().commit();
    }
    String commit = resolve.resolve();
    lock = lock.withHome(image, new HomePin(url, ref, commit));
    changed = true;
    return commit;
  }

  /** Writes the lock when an entry was added or refreshed (atomically). */
  public synchronized boolean save() throws IOException {
    if (!changed) {
      return false;
    }
    lock.write(file);
    changed = false;
    return true;
  }
}
