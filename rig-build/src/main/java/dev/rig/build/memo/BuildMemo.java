package dev.rig.build.memo;

import dev.rig.build.sbom.FileHashes;
import dev.rig.oci.digest.Digest;
import dev.rig.oci.io.AtomicFiles;
import dev.rig.spec.ImageSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The top-level build memo: for each image, the key of its inputs ({@link MemoKey}) to what its
 * build made ({@link MemoEntry}). It only lets a caller skip work whose result is already known:
 * the image's digest stays a function of the spec and rig.lock, because the key covers every input
 * the build reads and a new rig never trusts an old rig's entries.
 *
 * <p>Entries live in {@code CACHE/memo/KEY}, with the host files' stat cache beside them in {@code
 * CACHE/memo/input-stats}; both are written to a temp name and renamed.
 */
public final class BuildMemo {
  static final String DIR = "memo";
  private static final String FORMAT = "rig build memo key 1";

  private final Path dir;
  private final InputDigests inputs;
  private final Optional<String> code;

  private BuildMemo(Path dir, Optional<String> code) {
    this.dir = dir;
    this.inputs = InputDigests.load(dir.resolve("input-stats"));
    this.code = code;
  }

  public static BuildMemo in(Path cacheDir) {
    return in(cacheDir, CodeIdentity.current());
  }

  /** With {@code code} standing for the running rig's (tests: another build of rig). */
  static BuildMemo in(Path cacheDir, Optional<String> code) {
    return new BuildMemo(cacheDir.toAbsolutePath().normalize().resolve(DIR), code);
  }

  /**
   * The key of building {@code image} now: {@link #inputs} with the lock file's bytes. Empty when
   * the inputs cannot be fingerprinted (then the image is always built).
   */
  public Optional<MemoKey> key(ImageSpec image, Path lockFile, String settings) throws IOException {
    Optional<String> inputs = inputs(image, settings);
    return inputs.isEmpty() ? Optional.empty() : Optional.of(key(inputs.get(), lockFile));
  }

  /** The key of {@code inputs} (from {@link #inputs}) built with the lock file as it is now. */
  public MemoKey key(String inputs, Path lockFile) throws IOException {
    MessageDigest key = Digest.newSha256();
    update(key, FORMAT);
    update(key, inputs);
    update(key, "lock " + lockDigest(lockFile));
    return new MemoKey(Digest.ofHash(key.digest()).hex());
  }

  /**
   * A digest of everything but rig.lock that {@code image}'s bytes depend on: its spec, the content
   * of every host path the spec names, {@code settings} (what else changes the bytes: compression,
   * a fixed creation time) and rig's code. Kept apart from the lock because a build may write the
   * lock (pinning what it resolved): what it made is then the build of the lock it wrote. Empty
   * when rig's code cannot be identified or the spec holds a value it cannot fingerprint.
   */
  public Optional<String> inputs(ImageSpec image, String settings) throws IOException {
    if (code.isEmpty()) {
      return Optional.empty();
    }
    SpecFingerprint spec;
    try {
      spec = SpecFingerprint.of(image);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    MessageDigest inputs = Digest.newSha256();
    update(inputs, code.get());
    update(inputs, settings);
    update(inputs, spec.text());
    for (Path path : spec.paths()) {
      update(inputs, path + "\0" + this.inputs.digest(path));
    }
    return Optional.of(Digest.ofHash(inputs.digest()).hex());
  }

  /** What the build with {@code key} made, if an intact entry says so. */
  public Optional<MemoEntry> lookup(MemoKey key) {
    try {
      return MemoEntry.parse(Files.readAllBytes(dir.resolve(key.hex())));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  public void store(MemoKey key, MemoEntry entry) throws IOException {
    Files.createDirectories(dir);
    AtomicFiles.write(dir.resolve(key.hex()), entry.bytes());
  }

  /**
   * The host files' hashes as the SBOM lists them, through the same stat cache: a file the memo
   * hashed is not read again for the SBOM, nor in the next build.
   */
  public FileHashes fileHashes() {
    return inputs;
  }

  /** Remembers the host files hashed since the last save, so the next run only stats them. */
  public void saveInputStats() throws IOException {
    inputs.save();
  }

  private static String lockDigest(Path lockFile) throws IOException {
    try {
      return Digest.of(Files.readAllBytes(lockFile)).hex();
    } catch (NoSuchFileException e) {
      return "absent";
    }
  }

  private static void update(MessageDigest key, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    key.update((bytes.length + ":").getBytes(StandardCharsets.UTF_8));
    key.update(bytes);
  }
}
