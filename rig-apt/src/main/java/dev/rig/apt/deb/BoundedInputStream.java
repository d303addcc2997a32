package dev.rig.apt.deb;

import java.io.IOException;
import java.io.InputStream;

/** The bytes of one ar member: a decompressor must not read on into the next member. */
final class BoundedInputStream extends InputStream {
  private final InputStream in;
  private long left;

  BoundedInputStream(InputStream in, long length) {
    this.in = in;
    this.left = length;
  }

  @Override
  public int read() throws IOException {
    if (left == 0) {
      return -1;
    }
    int b = in.read();
    if (b >= 0) {
      left--;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (left == 0) {
      return -1;
    }
    int n = in.read(b, off, (int) Math.min(len, left));
    if (n > 0) {
      left -= n;
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
