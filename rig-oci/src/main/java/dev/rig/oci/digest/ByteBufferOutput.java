package dev.rig.oci.digest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * A stream that also takes bytes straight from a {@link ByteBuffer}. Layer bytes are read from
 * files into direct buffers and compressed by native code from direct buffers; passing those along
 * as buffers spares two copies through a {@code byte[]} per gigabyte step (file to heap and heap to
 * native on the way in, native to heap and heap to file on the way out).
 */
public interface ByteBufferOutput {
  /** Writes all of {@code src}'s remaining bytes; its position ends at its limit. */
  void write(ByteBuffer src) throws IOException;

  /**
   * Writes {@code src}'s remaining bytes to {@code out}: as a buffer when {@code out} takes them,
   * otherwise through {@code scratch} (any non-empty array).
   */
  static void write(OutputStream out, ByteBuffer src, byte[] scratch) throws IOException {
    if (out instanceof ByteBufferOutput buffers) {
      buffers.write(src);
    } else if (src.hasArray()) {
      out.write(src.array(), src.arrayOffset() + src.position(), src.remaining());
      src.position(src.limit());
    } else {
      while (src.hasRemaining()) {
        int n = Math.min(scratch.length, src.remaining());
        src.get(scratch, 0, n);
        out.write(scratch, 0, n);
      }
    }
  }
}
