package dev.rig.oci.layout;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import dev.rig.oci.OciException;
import dev.rig.oci.compress.Compression;
import dev.rig.oci.digest.Digest;
import dev.rig.oci.digest.DigestingInputStream;
import dev.rig.oci.image.ImageLayer;
import dev.rig.oci.tar.TarStreamWriter;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * A layer written into an archive as its uncompressed tar, decompressed from its blob on the way.
 * Both ends are checked: the blob against its digest and the tar against the diffID and size, so a
 * damaged cache file fails the write (and is discarded) instead of reaching an engine.
 */
public final class DecompressedLayer {
  private final ImageLayer layer;
  private final Compression compression;

  private DecompressedLayer(ImageLayer layer, Compression compression) {
    this.layer = layer;
    this.compression = compression;
  }

  /** The layer, when its compression is known and its uncompressed size too. */
  public static Optional<DecompressedLayer> of(ImageLayer layer) {
    if (layer.uncompressedSize() < 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new DecompressedLayer(layer, Compression.ofMediaType(layer.blob().mediaType())));
    } catch (IllegalArgumentException unknownMediaType) {
      return Optional.empty();
    }
  }

  /** Where the tar goes: {@code blobs/sha256/DIFFID-HEX}, since its digest is the diffID. */
  String path() {
    return Blob.pathOf(layer.diffId());
  }

  /** The uncompressed tar's digest: the layer's diffID. */
  public Digest digest() {
    return layer.diffId();
  }

  /** The uncompressed tar's length. */
  public long size() {
    return layer.uncompressedSize();
  }

  /**
   * Writes the uncompressed tar to {@code out}, for a reader that checks it against {@link
   * #digest()} itself (a container engine does). A gzip blob is checked by its own CRC-32 and
   * length as it is decompressed, which costs next to nothing; a zstd blob (written without a
   * checksum) or a plain one is hashed against its digest. Bytes that pass decompress to the tar
   * the diffID was computed from, so the larger side is never hashed here. A blob that fails is
   * discarded, and the copy fails.
   *
   * @throws IOException from {@code out} as it is (the reader went away), or an {@link
   *     OciException} when the blob is damaged
   */
  public void copyTo(OutputStream out) throws IOException {
    long size = layer.uncompressedSize();
    long copied = 0;
    byte[] buffer = new byte[256 * 1024];
    try (InputStream raw = layer.source().open()) {
      Optional<DigestingInputStream> hashed =
          compression == Compression.GZIP
              ? Optional.empty()
              : Optional.of(new DigestingInputStream(raw));
      InputStream blob = hashed.isPresent() ? hashed.get() : raw;
      InputStream plain;
      try {
        plain = decompress(blob);
      } catch (IOException e) {
        throw damaged(copied, e);
      }
      try (plain) {
        while (true) {
          int n;
          try {
            n = plain.read(buffer);
          } catch (IOException e) {
            throw damaged(copied, e);
          }
          if (n < 0) {
            break;
          }
          if (copied + n > size) {
            throw damaged(copied + n, null);
          }
          out.write(buffer, 0, n);
          copied += n;
        }
        if (copied != size) {
          throw damaged(copied, null);
        }
        if (hashed.isPresent()
            && (!drain(blob)
                || hashed.get().count() != layer.blob().size()
                || !hashed.get().digest().equals(layer.blob().digest()))) {
          throw damaged(copied, null);
        }
      }
    }
  }

  private OciException damaged(long plainBytes, IOException cause) throws IOException {
    layer.source().discardCorrupt();
    return new OciException(
        "layer "
            + layer.source()
            + " is corrupt: expected blob "
            + layer.blob().digest()
            + " ("
            + layer.blob().size()
            + " bytes) holding a tar of "
            + layer.uncompressedSize()
            + " bytes; it decompressed to "
            + plainBytes
            + " bytes"
            + (cause == null ? "" : " and failed (" + cause.getMessage() + ")")
            + "; it was discarded, build again to recreate it",
        cause);
  }

  void writeTo(TarStreamWriter tar, String name) throws IOException {
    long size = layer.uncompressedSize();
    try (DigestingInputStream blob = new DigestingInputStream(layer.source().open());
        DigestingInputStream plain = new DigestingInputStream(decompress(blob))) {
      IOException failure = null;
      try {
        tar.file(name, 0644, 0, 0, size, plain);
      } catch (IOException e) {
        // Too short or too long: reported below as damage, with both digests.
        failure = e;
      }
      // Read both to their ends, so the digests below cover everything (or the stream is bad).
      boolean readable = drain(plain) && drain(blob);
      boolean blobIntact =
          blob.count() == layer.blob().size() && blob.digest().equals(layer.blob().digest());
      boolean tarIntact = plain.count() == size && plain.digest().equals(layer.diffId());
      if (!readable || !blobIntact || !tarIntact) {
        layer.source().discardCorrupt();
        throw new OciException(
            "layer "
                + layer.source()
                + " is corrupt: expected blob "
                + layer.blob().digest()
                + " holding tar "
                + layer.diffId()
                + " ("
                + size
                + " bytes), read blob "
                + blob.digest()
                + " holding "
                + plain.digest()
                + " ("
                + plain.count()
                + " bytes); it was discarded, build again to recreate it");
      }
      if (failure != null) {
        throw failure;
      }
    }
  }

  private static boolean drain(InputStream in) {
    try {
      in.transferTo(OutputStream.nullOutputStream());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private InputStream decompress(InputStream blob) throws IOException {
    return switch (compression) {
      case GZIP -> new GZIPInputStream(blob, 256 * 1024);
      case ZSTD -> new BufferedInputStream(new ZstdInputStreamNoFinalizer(blob), 256 * 1024);
      case NONE -> blob;
    };
  }
}
