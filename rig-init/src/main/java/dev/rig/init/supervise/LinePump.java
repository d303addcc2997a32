package dev.rig.init.supervise;

import dev.rig.init.report.OutputSink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Copies a service's output to the sink line by line with {@code [name] } in front. When a {@link
 * RotatingLog} is given, the same lines (without the prefix) go to it too. A line longer than
 * {@link #MAX_LINE} bytes is cut into pieces so a service printing without newlines cannot exhaust
 * memory; a last line without a newline is still emitted.
 */
public final class LinePump implements Runnable {
  static final int MAX_LINE = 64 * 1024;

  private final InputStream in;
  private final OutputSink sink;
  private final byte[] prefix;
  private final RotatingLog file;

  public LinePump(InputStream in, OutputSink sink, String name, boolean withPrefix) {
    this(in, sink, name, withPrefix, null);
  }

  /**
   * @param file also receives every line, without the prefix (the file is the service's own); null
   *     for stdout only
   */
  public LinePump(
      InputStream in, OutputSink sink, String name, boolean withPrefix, RotatingLog file) {
    this.in = in;
    this.sink = sink;
    this.prefix = withPrefix ? ("[" + name + "] ").getBytes(StandardCharsets.UTF_8) : new byte[0];
    this.file = file;
  }

  private void emit(byte[] line, int len) {
    sink.line(prefix, line, 0, len);
    if (file != null) {
      file.line(line, 0, len);
    }
  }

  @Override
  public void run() {
    byte[] line = new byte[256];
    int len = 0;
    byte[] chunk = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(chunk)) > 0) {
        for (int i = 0; i < n; i++) {
          byte b = chunk[i];
          if (b == '\n') {
            emit(line, len);
            len = 0;
            continue;
          }
          if (len == line.length) {
            if (len >= MAX_LINE) {
              emit(line, len);
              len = 0;
            } else {
              line = Arrays.copyOf(line, Math.min(MAX_LINE, line.length * 2));
            }
          }
          line[len++] = b;
        }
      }
    } catch (IOException e) {
      // The pipe closes when the process and its group are gone; nothing more to copy.
    }
    if (len > 0) {
      emit(line, len);
    }
  }

  /** Starts a daemon thread pumping this stream. */
  public Thread start() {
    Thread t = new Thread(this, "log-" + new String(prefix, StandardCharsets.UTF_8).trim());
    t.setDaemon(true);
    t.start();
    return t;
  }
}
