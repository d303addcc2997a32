package dev.rig.oci.event;

import dev.rig.oci.compress.Compression;
import dev.rig.oci.digest.Digest;
import java.nio.file.Path;
import java.time.Duration;

/** Progress and outcomes reported by the OCI core. */
public sealed interface OciEvent {

  /**
   * A layer's inputs were unchanged: its blob came from the cache with no tar or compression work.
   */
  record LayerCacheHit(String createdBy, Digest diffId, Digest blob, long blobSize)
      implements OciEvent {}

  /**
   * A layer's tar was produced (to hash it, or to hash and compress it in one pass).
   *
   * @param compressed whether this pass also compressed the tar
   */
  record LayerTarred(
      String createdBy, Digest diffId, long uncompressedSize, boolean compressed, Duration took)
      implements OciEvent {}

  /**
   * A layer's inputs changed but its tar came out identical to one already cached, so the cached
   * compressed blob was reused instead of compressing again.
   */
  record LayerReused(String createdBy, Digest diffId, Digest blob) implements OciEvent {}

  /** A layer was compressed into a new blob. */
  record LayerCompressed(
      String createdBy,
      Compression compression,
      Digest diffId,
      Digest blob,
      long uncompressedSize,
      long compressedSize,
      Duration took)
      implements OciEvent {}

  /** A cache entry was wrong (missing, truncated, bad hash, unreadable) and was discarded. */
  record CorruptCacheEntry(Path path, String problem) implements OciEvent {}

  /** A blob was placed into an output (layout dir or archive). */
  record BlobWritten(Digest digest, long size, Path destination, boolean linked)
      implements OciEvent {}

  /** A blob was already present in an output and left alone. */
  record BlobPresent(Digest digest, Path destination) implements OciEvent {}

  /** An output (layout dir or archive file) is complete. */
  record OutputWritten(Path destination, int images, Duration took) implements OciEvent {}
}
