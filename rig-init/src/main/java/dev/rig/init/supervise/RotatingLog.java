package dev.rig.init.supervise;

import dev.rig.init.report.Event;
import dev.rig.init.report.Reporter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A service's log file, NAME.log, rotated by size: when the next line would take it past {@code
 * maxBytes}, NAME.log becomes NAME.log.1, older ones shift up and the one past {@code keep} is
 * deleted. Rotation is by rename, so a {@code tail -F} follows it.
 *
 * <p>A write error is reported once and then the file is left alone: a full disk must not stop the
 * service or its stdout stream.
 */
public final class RotatingLog {
  private final Path file;
  private final long maxBytes;
  private final int keep;
  private final Reporter reporter;
  private final String source;
  private OutputStream out; // guarded by this
  private long size; // guarded by this
  private boolean broken; // guarded by this

  public RotatingLog(Path file, long maxBytes, int keep, Reporter reporter, String source) {
    this.file = file;
    this.maxBytes = maxBytes;
    this.keep = keep;
    this.reporter = reporter;
    this.source = source;
  }

  public Path file() {
    return file;
  }

  /** Appends {@code bytes[off, off+len)} and a newline, rotating first when it would not fit. */
  public synchronized void line(byte[] bytes, int off, int len) {
    if (broken) {
      return;
    }
    try {
      if (out == null) {
        open();
      }
      if (size > 0 && size + len + 1 > maxBytes) {
        rotate();
      }
      out.write(bytes, off, len);
      out.write('\n');
      out.flush(); // unbuffered: the file must be current when the service dies
      size += len + 1;
    } catch (IOException e) {
      broken = true;
      reporter.report(
          Event.warn(
              source,
              "cannot write " + file + " (" + e.getMessage() + "); logging to stdout only"));
    }
  }

  public synchronized void close() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        // closing a log at shutdown; nothing useful to do
      }
      out = null;
    }
  }

  private void open() throws IOException {
    Files.createDirectories(file.getParent());
    out = new FileOutputStream(file.toFile(), true);
    size = Files.size(file);
  }

  private void rotate() throws IOException {
    out.close();
    out = null;
    Files.deleteIfExists(numbered(keep));
    for (int i = keep - 1; i >= 1; i--) {
      if (Files.exists(numbered(i))) {
        Files.move(numbered(i), numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
    open();
  }

  private Path numbered(int i) {
    return file.resolveSibling(file.getFileName() + "." + i);
  }
}
