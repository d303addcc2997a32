package dev.rig.oci.layout;

import dev.rig.oci.OciException;
import dev.rig.oci.digest.DigestingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Copies a blob while checking that its bytes are what its digest says. */
final class VerifiedCopy {
  private VerifiedCopy() {}

  /** Action that consumes the blob's stream (e.g. a tar entry or a file copy). */
  @FunctionalInterface
  interface Consumer {
    void accept(InputStream in) throws IOException;
  }

  /**
   * Feeds the blob to {@code consumer} and checks its digest and size afterwards. On a mismatch the
   * source is told to discard itself and an {@link OciException} is thrown; whatever the consumer
   * wrote must then be thrown away by the caller.
   */
  static void copy(Blob blob, Consumer consumer) throws IOException {
    try (DigestingInputStream in = new DigestingInputStream(blob.source().open())) {
      consumer.accept(in);
      in.transferTo(OutputStream.nullOutputStream());
      if (in.count() != blob.size() || !in.digest().equals(blob.digest())) {
        blob.source().discardCorrupt();
        throw new OciException(
            "blob "
                + blob.source()
                + " is corrupt: expected "
                + blob.digest()
                + " ("
                + blob.size()
                + " bytes), read "
                + in.digest()
                + " ("
                + in.count()
                + " bytes); it was discarded, build again to recreate it");
      }
    }
  }

  static void copy(Blob blob, OutputStream out) throws IOException {
    copy(blob, in -> in.transferTo(out));
  }
}
