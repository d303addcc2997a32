package dev.rig.init.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The one place service output and rig-init's own messages are written. Whole lines are written
 * under a lock so lines from different services never interleave mid-line. Bytes pass through
 * untouched (no charset decoding, no re-levelling as nimi does), only a prefix is put in front.
 */
public final class OutputSink {
  private final OutputStream out;

  public OutputSink(OutputStream out) {
    this.out = out;
  }

  /**
   * Writes {@code prefix + bytes[off, off+len) + '\n'} as one unit: one array in one write, since
   * the main program writes to the same file descriptor directly (it inherits it), and the lock
   * does not hold it off; three writes let its output land between a line and its newline.
   */
  public synchronized void line(byte[] prefix, byte[] bytes, int off, int len) {
    byte[] whole = new byte[prefix.length + len + 1];
    System.arraycopy(prefix, 0, whole, 0, prefix.length);
    System.arraycopy(bytes, off, whole, prefix.length, len);
    whole[whole.length - 1] = '\n';
    try {
      out.write(whole);
      out.flush();
    } catch (IOException e) {
      // Nobody to tell when stdout is gone; a broken log must not take services down.
    }
  }

  /** A message from rig-init itself. */
  public void say(String message) {
    byte[] b = message.getBytes(StandardCharsets.UTF_8);
    line("[rig-init] ".getBytes(StandardCharsets.UTF_8), b, 0, b.length);
  }

  public static OutputSink stdout() {
    return new OutputSink(System.out);
  }
}
