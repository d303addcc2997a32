package dev.rig.oci.compress;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;

/**
 * How a layer blob is compressed, with the media types that name it. Each compressor is a pinned
 * implementation at a fixed level, so the compressed digest of a layer depends only on the rig
 * version and the tar, never on the host's zlib.
 */
public enum Compression {
  /** Uncompressed tar. */
  NONE("application/vnd.oci.image.layer.v1.tar", "application/vnd.docker.image.rootfs.diff.tar"),
  /**
   * gzip by rig's own pure-Java deflater ({@link BlockDeflater}, about gzip -6 in size), deflated
   * in 1 MiB blocks on every core and joined into one gzip member.
   */
  GZIP(
      "application/vnd.oci.image.layer.v1.tar+gzip",
      "application/vnd.docker.image.rootfs.diff.tar.gzip"),
  /**
   * zstd by zstd-jni's bundled libzstd, level {@link PinnedCompressors#ZSTD_LEVEL}, in zstd's
   * multi-threaded format (the same bytes for any number of workers). Docker has no media type of
   * its own for zstd layers and uses the OCI one.
   */
  ZSTD(
      "application/vnd.oci.image.layer.v1.tar+zstd", "application/vnd.oci.image.layer.v1.tar+zstd");

  private final String ociMediaType;
  private final String dockerMediaType;

  Compression(String ociMediaType, String dockerMediaType) {
    this.ociMediaType = ociMediaType;
    this.dockerMediaType = dockerMediaType;
  }

  public String ociMediaType() {
    return ociMediaType;
  }

  public String dockerMediaType() {
    return dockerMediaType;
  }

  /** A short lowercase name ("gzip") for messages and options. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The name of this compressor's output format in cache paths: it changes whenever the bytes for a
   * given tar change (a level, a block size, a library version), so a cache never mixes the two.
   */
  public String cacheKey() {
    return switch (this) {
      case GZIP -> "gzip-rig2";
      case ZSTD -> "zstd-mt";
      case NONE -> id();
    };
  }

  /**
   * Wraps {@code out} in this compressor. Closing the returned stream finishes the compressed
   * stream and closes {@code out}.
   */
  public OutputStream compress(OutputStream out) throws IOException {
    return compress(out, CompressorPool.shared());
  }

  /**
   * {@link #compress(OutputStream)} on the threads of {@code pool}; the bytes are the same for any
   * pool.
   */
  public OutputStream compress(OutputStream out, CompressorPool pool) throws IOException {
    return PinnedCompressors.open(this, out, pool);
  }

  /**
   * Wraps {@code in} (bytes in this format, from any compressor) in a decompressor; closing the
   * returned stream closes {@code in}.
   */
  public InputStream decompress(InputStream in) throws IOException {
    return switch (this) {
      case GZIP -> new GZIPInputStream(in, 256 * 1024);
      case ZSTD -> new BufferedInputStream(new ZstdInputStreamNoFinalizer(in), 256 * 1024);
      case NONE -> in;
    };
  }

  /** The compression a layer media type (OCI or Docker) stands for. */
  public static Compression ofMediaType(String mediaType) {
    for (Compression c : values()) {
      if (c.ociMediaType.equals(mediaType) || c.dockerMediaType.equals(mediaType)) {
        return c;
      }
    }
    throw new IllegalArgumentException("not a known layer media type: " + mediaType);
  }
}
