package dev.rig.apt.repo;

import dev.rig.apt.control.PackageRecord;
import dev.rig.apt.control.PackageRecordCodec;
import dev.rig.oci.io.AtomicFiles;
import dev.rig.oci.io.Tasks;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * Index files (Packages, as the Release file lists them) kept by their SHA-256, so resolving again
 * while the mirror has not moved costs the signed Release file and no index download. What comes
 * out is checked against the Release file like a download, so a damaged entry is fetched again.
 *
 * <p>Beside each index, its parsed records ({@link PackageRecordCodec}, name {@code
 * SHA256.parsed}): parsing the text costs more than anything else in a re-resolve. They are keyed
 * by the SHA-256 that the signed Release file lists for the index they were parsed from, and read
 * back only when their format version and checksum hold; anything else is parsed again and
 * rewritten.
 */
public final class IndexCache {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final String PARSED = ".parsed";

  private final Path dir;

  /**
   * Records this cache has decoded or stored, by the index's SHA-256, with the state of the file
   * they match: one build resolves the same indexes several times (the image, rig-init's Java
   * tools, a VM's tools), and decoding a large index's records again costs about a second.
   */
  private final Map<String, Decoded> decoded = new ConcurrentHashMap<>();

  private record Decoded(
      Object fileKey, FileTime modified, long size, List<PackageRecord> records) {
    boolean matches(BasicFileAttributes file) {
      return Objects.equals(fileKey, file.fileKey())
          && modified.equals(file.lastModifiedTime())
          && size == file.size();
    }
  }

  /**
   * Records this process parsed and is storing (or stored), by the index's SHA-256: they are served
   * from memory at once, while their file is encoded and written on a thread of its own (about a
   * second for Debian's main index, which a build need not wait for).
   */
  private final Map<String, List<PackageRecord>> stored = new ConcurrentHashMap<>();

  /**
   * One writer for every cache of this process; a daemon, and waited for when the JVM exits, so
   * that a short command (rig lock) still leaves its parsed indexes behind.
   */
  private static final ExecutorService WRITER = Tasks.daemonPool("rig-index-writer", 1);

  /** Whether anything was ever given to {@link #WRITER}: most commands never do. */
  private static final AtomicBoolean WRITING = new AtomicBoolean();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  WRITER.shutdown();
                  try {
                    WRITER.awaitTermination(30, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "rig-index-writer-exit"));
  }

  private IndexCache(Path dir) {
    this.dir = dir;
  }

  /** A cache in {@code dir} (made when the first index is stored). */
  public static IndexCache in(Path dir) {
    return new IndexCache(dir);
  }

  /** The bytes stored under {@code sha256}, unchecked; empty when none are. */
  Optional<byte[]> get(String sha256) throws IOException {
    if (!SHA256.matcher(sha256).matches()) {
      return Optional.empty();
    }
    Path file = dir.resolve(sha256);
    return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
  }

  /** Stores verified bytes under their SHA-256 (temp name, then rename). */
  void put(String sha256, byte[] bytes) throws IOException {
    if (SHA256.matcher(sha256).matches()) {
      Files.createDirectories(dir);
      AtomicFiles.write(dir.resolve(sha256), bytes);
    }
  }

  /**
   * The records parsed from the index whose SHA-256 is {@code sha256}; empty when none are intact.
   */
  Optional<List<PackageRecord>> parsed(String sha256) throws IOException {
    if (!SHA256.matcher(sha256).matches()) {
      return Optional.empty();
    }
    List<PackageRecord> mine = stored.get(sha256);
    if (mine != null) {
      return Optional.of(mine);
    }
    Path file = dir.resolve(sha256 + PARSED);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    BasicFileAttributes state = Files.readAttributes(file, BasicFileAttributes.class);
    Decoded known = decoded.get(sha256);
    if (known != null && known.matches(state)) {
      return Optional.of(known.records());
    }
    try {
      return Optional.of(
          remember(sha256, state, PackageRecordCodec.decode(Files.readAllBytes(file))));
    } catch (PackageRecordCodec.CorruptRecordsException e) {
      return Optional.empty();
    }
  }

  private List<PackageRecord> remember(
      String sha256, BasicFileAttributes state, List<PackageRecord> records) {
    Decoded kept =
        new Decoded(state.fileKey(), state.lastModifiedTime(), state.size(), List.copyOf(records));
    decoded.put(sha256, kept);
    return kept.records();
  }

  /**
   * Stores the records parsed from a verified index (temp name, then rename), in the background;
   * this cache serves them from memory meanwhile. A write that fails costs the next run a parse.
   */
  void putParsed(String sha256, List<PackageRecord> records) throws IOException {
    if (!SHA256.matcher(sha256).matches()) {
      return;
    }
    List<PackageRecord> kept = List.copyOf(records);
    stored.put(sha256, kept);
    try {
      WRITING.set(true);
      WRITER.submit(
          () -> {
            Files.createDirectories(dir);
            AtomicFiles.write(dir.resolve(sha256 + PARSED), PackageRecordCodec.encode(kept));
            return null;
          });
    } catch (RejectedExecutionException e) {
      // The JVM is exiting: the next run parses the index again.
    }
  }

  /**
   * Waits for the records this process is storing. A command calls it before it gives up its hold
   * on the cache: the files are then all written when it returns (a caller that runs commands in
   * its own process, as tests do, may delete the cache next), and never while a gc may run.
   */
  public static void awaitWrites() throws IOException {
    if (!WRITING.get()) {
      return;
    }
    try {
      WRITER.submit(() -> null).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while storing parsed indexes");
    } catch (ExecutionException e) {
      throw new IOException("storing parsed indexes: " + e.getCause(), e.getCause());
    }
  }
}
