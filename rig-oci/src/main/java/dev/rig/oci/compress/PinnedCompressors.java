package dev.rig.oci.compress;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Opens the compressors with fixed settings. Changing a level or a library version changes every
 * compressed digest (and so forces re-uploads), so these values are part of rig's output format.
 */
final class PinnedCompressors {
  /** zstd level 3, the zstd command's default; fast, and smaller than gzip -6. */
  static final int ZSTD_LEVEL = 3;

  private PinnedCompressors() {}

  static OutputStream open(Compression compression, OutputStream out, CompressorPool pool)
      throws IOException {
    return switch (compression) {
      case NONE ->
          new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              out.write(b, off, len);
            }
          };
      case GZIP -> new ParallelGzipOutputStream(out, pool.executor(), CompressorPool.maxThreads());
      case ZSTD -> zstd(out, pool.threads());
    };
  }

  /**
   * zstd in its multi-threaded format, on a native context reused from layer to layer (see {@link
   * ZstdStream}).
   */
  private static OutputStream zstd(OutputStream out, int threads) {
    // zstd's multi-threaded format gives the same bytes for any number of workers from 1 up (it
    // differs from the 0-worker, single-threaded format), so every core can work on a layer and
    // the digest still does not depend on the machine.
    return new ZstdStream(out, ZSTD_LEVEL, Math.max(1, threads));
  }
}
