package dev.rig.oci.cache;

import dev.rig.oci.compress.Compression;
import dev.rig.oci.digest.Digest;
import dev.rig.oci.digest.DigestingInputStream;
import dev.rig.oci.digest.DigestingOutputStream;
import dev.rig.oci.event.OciEvent;
import dev.rig.oci.event.OciEventListener;
import dev.rig.oci.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A content-addressed store on disk, shared by builds (also by several JVMs at once):
 *
 * <pre>
 * ROOT/blobs/sha256/HEX                 blobs (compressed layers, configs, manifests)
 * ROOT/layers/inputs/KEYHEX             layer input key  → "sha256:DIFFID SIZE"
 * ROOT/layers/paths/KEYHEX              marker: a layer with this set of paths was built
 * ROOT/layers/gzip/DIFFIDHEX            diffID (+ compression) → "sha256:BLOB SIZE"
 * ROOT/layers/zstd/DIFFIDHEX, layers/none/DIFFIDHEX
 * </pre>
 *
 * <p>Every file is written to a temp file beside its final name and renamed into place. Names are
 * derived from content, so two writers racing for one name write the same bytes and whichever
 * rename lands last is as good as the first. A blob whose size is wrong is discarded on lookup;
 * hashes are checked on request ({@link #verify}) and whenever an output copies a blob out (see
 * {@code BlobSource.ofCachedFile}: a mismatch deletes the blob so the next build remakes it).
 */
public final class BlobCache {
  private final Path root;
  private final Path blobs;
  private final OciEventListener listener;

  private BlobCache(Path root, OciEventListener listener) {
    this.root = root;
    this.blobs = root.resolve("blobs").resolve(Digest.SHA256);
    this.listener = listener;
  }

  /**
   * Opens (creating if needed) the cache under {@code root}. The CLI passes {@code $RIG_CACHE} or
   * {@code ~/.cache/rig}; the core never picks a location itself.
   */
  public static BlobCache open(Path root, OciEventListener listener) throws IOException {
    BlobCache cache = new BlobCache(root.toAbsolutePath().normalize(), listener);
    Files.createDirectories(cache.blobs);
    return cache;
  }

  public Path root() {
    return root;
  }

  /** Where the blob with this digest lives (whether or not it is there). */
  public Path blobPath(Digest digest) {
    return blobs.resolve(digest.hex());
  }

  /**
   * The cached blob, if it is present with the expected size. A blob of the wrong size (a truncated
   * or foreign file) is deleted and reported as absent.
   */
  public Optional<CachedBlob> find(Digest digest, long size) throws IOException {
    Path path = blobPath(digest);
    long actual;
    try {
      actual = Files.size(path);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (actual != size) {
      discard(path, "size " + actual + " but " + digest + " has " + size + " bytes");
      return Optional.empty();
    }
    return Optional.of(new CachedBlob(digest, size, path));
  }

  /**
   * Re-hashes a cached blob. A blob whose bytes do not match its name is deleted.
   *
   * @return true when the blob is present and intact
   */
  public boolean verify(CachedBlob blob) throws IOException {
    Path path = blob.path();
    try (DigestingInputStream in = new DigestingInputStream(Files.newInputStream(path))) {
      in.transferTo(OutputStream.nullOutputStream());
      if (in.count() == blob.size() && in.digest().equals(blob.digest())) {
        return true;
      }
      discard(path, "content hashes to " + in.digest() + ", not " + blob.digest());
      return false;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  /** Stores small bytes (a config or manifest) and returns their blob. */
  public CachedBlob put(byte[] bytes) throws IOException {
    Digest digest = Digest.of(bytes);
    Optional<CachedBlob> present = find(digest, bytes.length);
    if (present.isPresent()) {
      return present.get();
    }
    AtomicFiles.write(blobPath(digest), bytes);
    return new CachedBlob(digest, bytes.length, blobPath(digest));
  }

  /**
   * Starts writing a blob whose digest is not known yet. Write to {@link PendingBlob#output()},
   * then {@link PendingBlob#commit()}; {@link PendingBlob#close()} drops an uncommitted blob.
   */
  public PendingBlob newBlob() throws IOException {
    Path temp = AtomicFiles.newTemp(blobs.resolve("new"));
    return new PendingBlob(temp);
  }

  /** The diffID recorded for a layer input key. */
  public Optional<SizedDigest> diffIdFor(Digest inputKey) throws IOException {
    return readMapping(root.resolve("layers").resolve("inputs").resolve(inputKey.hex()));
  }

  public void recordDiffId(Digest inputKey, Digest diffId, long size) throws IOException {
    AtomicFiles.write(
        root.resolve("layers").resolve("inputs").resolve(inputKey.hex()),
        new SizedDigest(diffId, size).encode());
  }

  /**
   * Whether a layer with this set of paths was built before (whatever the files held then). Such a
   * layer may well be unchanged, so hashing it before compressing is worth it; a layer never seen
   * is compressed in the same pass that hashes it.
   */
  public boolean seenPaths(Digest pathsKey) {
    return Files.exists(root.resolve("layers").resolve("paths").resolve(pathsKey.hex()));
  }

  public void recordPaths(Digest pathsKey) throws IOException {
    AtomicFiles.write(root.resolve("layers").resolve("paths").resolve(pathsKey.hex()), new byte[0]);
  }

  /** The blob recorded for a diffID compressed with {@code compression}. */
  public Optional<SizedDigest> compressedFor(Digest diffId, Compression compression)
      throws IOException {
    return readMapping(compressedPath(diffId, compression));
  }

  public void recordCompressed(Digest diffId, Compression compression, Digest blob, long blobSize)
      throws IOException {
    AtomicFiles.write(
        compressedPath(diffId, compression), new SizedDigest(blob, blobSize).encode());
  }

  private Path compressedPath(Digest diffId, Compression compression) {
    return root.resolve("layers").resolve(compression.cacheKey()).resolve(diffId.hex());
  }

  private Optional<SizedDigest> readMapping(Path path) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    Optional<SizedDigest> value = SizedDigest.decode(bytes);
    if (value.isEmpty()) {
      discard(path, "unreadable cache record");
    }
    return value;
  }

  private void discard(Path path, String problem) throws IOException {
    Files.deleteIfExists(path);
    listener.onEvent(new OciEvent.CorruptCacheEntry(path, problem));
  }

  /** A blob being written: hashed and counted on the way to a temp file. */
  public final class PendingBlob implements AutoCloseable {
    private final Path temp;
    private final DigestingOutputStream output;
    private boolean closed;

    private PendingBlob(Path temp) throws IOException {
      this.temp = temp;
      this.output = new DigestingOutputStream(new FileChannelOutput(temp));
    }

    /** Where the blob's bytes go. Closing it is allowed (commit closes it anyway). */
    public DigestingOutputStream output() {
      return output;
    }

    /** Closes the output and moves the blob to its content-addressed name. */
    public CachedBlob commit() throws IOException {
      closeOutput();
      Digest digest = output.digest();
      Path target = blobPath(digest);
      AtomicFiles.commit(temp, target);
      return new CachedBlob(digest, output.count(), target);
    }

    private void closeOutput() throws IOException {
      if (!closed) {
        closed = true;
        output.close();
      }
    }

    /** Drops the blob unless it was committed. */
    @Override
    public void close() throws IOException {
      try {
        closeOutput();
      } finally {
        Files.deleteIfExists(temp);
      }
    }
  }
}
