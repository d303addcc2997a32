package dev.rig.oci.digest;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;

/**
 * Passes bytes through while hashing and counting them, so a digest and size are known the moment
 * writing ends, without reading the result back.
 */
public final class DigestingOutputStream extends FilterOutputStream implements ByteBufferOutput {
  private final MessageDigest sha256 = Digest.newSha256();
  private long count;
  private Digest digest;
  private byte[] scratch;

  public DigestingOutputStream(OutputStream out) {
    super(out);
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    sha256.update((byte) b);
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    sha256.update(b, off, len);
    count += len;
  }

  /** Hashes the buffer's bytes and passes them on as a buffer when {@code out} takes one. */
  @Override
  public void write(ByteBuffer src) throws IOException {
    int n = src.remaining();
    sha256.update(src.duplicate());
    if (!(out instanceof ByteBufferOutput) && !src.hasArray() && scratch == null) {
      scratch = new byte[64 * 1024];
    }
    ByteBufferOutput.write(out, src, scratch);
    count += n;
  }

  /** Bytes written so far. */
  public long count() {
    return count;
  }

  /** The digest of everything written; after this call no more bytes may be written. */
  public Digest digest() {
    if (digest == null) {
      digest = Digest.ofHash(sha256.digest());
    }
    return digest;
  }

  /** A stream that only hashes and counts (for a pass that needs the digest and no bytes). */
  public static DigestingOutputStream discarding() {
    return new DigestingOutputStream(OutputStream.nullOutputStream());
  }
}
