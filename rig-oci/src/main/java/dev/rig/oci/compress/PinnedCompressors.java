package dev.rig.oci.compress;

import com.github.luben.zstd.ZstdOutputStream;
import com.jcraft.jzlib.Deflater;
import com.jcraft.jzlib.GZIPException;
import com.jcraft.jzlib.GZIPOutputStream;
import com.jcraft.jzlib.JZlib;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Opens the compressors with fixed settings. Changing a level or a library version changes every
 * compressed digest (and so forces re-uploads), so these values are part of rig's output format.
 */
final class PinnedCompressors {
  /**
   * gzip level 6, zlib's and Go's default: what registries and other builders produce, and the
   * usual balance of speed and size.
   */
  static final int GZIP_LEVEL = 6;

  /** zlib's defaults: 32 KiB window, memLevel 8. */
  private static final int GZIP_WINDOW_BITS = 15;

  private static final int GZIP_MEM_LEVEL = 8;

  /** gzip header OS byte: 3 = Unix, fixed whatever the host is. */
  private static final int GZIP_OS_UNIX = 3;

  /** zstd level 3, the zstd command's default; fast, and smaller than gzip -6. */
  static final int ZSTD_LEVEL = 3;

  private static final int BUFFER = 64 * 1024;

  private PinnedCompressors() {}

  static OutputStream open(Compression compression, OutputStream out) throws IOException {
    return switch (compression) {
      case NONE ->
          new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              out.write(b, off, len);
            }
          };
      case GZIP -> gzip(out);
      case ZSTD -> zstd(out);
    };
  }

  private static OutputStream gzip(OutputStream out) throws GZIPException, IOException {
    Deflater deflater =
        new Deflater(GZIP_LEVEL, GZIP_WINDOW_BITS, GZIP_MEM_LEVEL, JZlib.WrapperType.GZIP);
    GZIPOutputStream gzip = new GZIPOutputStream(out, deflater, BUFFER, true);
    // Fixed header: no file name, mtime 0, fixed OS byte.
    gzip.setModifiedTime(0);
    gzip.setOS(GZIP_OS_UNIX);
    return gzip;
  }

  private static OutputStream zstd(OutputStream out) throws IOException {
    ZstdOutputStream zstd = new ZstdOutputStream(out);
    zstd.setLevel(ZSTD_LEVEL);
    // Multi-threaded zstd output may differ from single-threaded; keep one thread, no checksum.
    zstd.setWorkers(0);
    zstd.setChecksum(false);
    return zstd;
  }
}
