package dev.rig.oci.compress;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/** DEFLATE's bit order: values are packed least significant bit first into a growing buffer. */
final class BitSink {
  /** Four bytes in one store, least significant first: DEFLATE's order on every host. */
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private byte[] bytes;
  private int size;
  private long pending;
  private int pendingBits;

  BitSink(int capacity) {
    bytes = new byte[Math.max(64, capacity)];
  }

  void reset() {
    size = 0;
    pending = 0;
    pendingBits = 0;
  }

  /** Appends the low {@code count} bits of {@code value} (count at most 32). */
  void bits(int value, int count) {
    pending |= (value & 0xffffffffL) << pendingBits;
    pendingBits += count;
    if (pendingBits >= 32) {
      ensure(4);
      INT.set(bytes, size, (int) pending);
      size += 4;
      pending >>>= 32;
      pendingBits -= 32;
    }
  }

  /** Pads with zero bits to the next byte boundary. */
  void alignToByte() {
    bits(0, (8 - (pendingBits & 7)) & 7);
    while (pendingBits > 0) {
      ensure(1);
      bytes[size++] = (byte) pending;
      pending >>>= 8;
      pendingBits -= 8;
    }
    pendingBits = 0;
    pending = 0;
  }

  /** Appends bytes; the sink must be byte-aligned. */
  void raw(byte[] source, int offset, int length) {
    ensure(length);
    System.arraycopy(source, offset, bytes, size, length);
    size += length;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }
}
