package dev.rig.init.supervise;

import dev.rig.init.report.Event;
import dev.rig.init.report.Reporter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;

/**
 * A service's log file, NAME.log, rotated by size: when the next line would take it past {@code
 * maxBytes}, NAME.log becomes NAME.log.1, older ones shift up and the one past {@code keep} is
 * deleted. Rotation is by rename, so a {@code tail -F} follows it.
 *
 * <p>A write error must not stop the service or its stdout stream: it is reported, the file is left
 * alone for {@code retryAfter}, then reopened, so a disk that was full for a minute loses a minute
 * of the file, not the rest of the container's life. Files are 0640: services print tokens and URLs
 * with credentials more often than they should.
 */
public final class RotatingLog {
  private final Path file;
  private final long maxBytes;
  private final int keep;
  private final Reporter reporter;
  private final String source;
  private OutputStream out; // guarded by this
  private long size; // guarded by this
  private long retryAt; // System.nanoTime() before which no write is tried; guarded by this
  private boolean broken; // guarded by this

  /** How long a log that failed to write is left alone before it is reopened. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(10);

  private static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-r-----");

  private final Duration retryAfter;

  public RotatingLog(Path file, long maxBytes, int keep, Reporter reporter, String source) {
    this(file, maxBytes, keep, reporter, source, RETRY_AFTER);
  }

  RotatingLog(
      Path file, long maxBytes, int keep, Reporter reporter, String source, Duration retryAfter) {
    this.retryAfter = retryAfter;
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
    if (broken && System.nanoTime() - retryAt < 0) {
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
      if (broken) {
        broken = false;
        reporter.report(Event.info(source, "writing " + file + " again"));
      }
    } catch (IOException e) {
      close();
      retryAt = System.nanoTime() + retryAfter.toNanos();
      if (!broken) {
        broken = true;
        reporter.report(
            Event.warn(
                source,
                "cannot write "
                    + file
                    + " ("
                    + e.getMessage()
                    + "); trying again every "
                    + retryAfter.toSeconds()
                    + " s, logging to stdout only"));
      }
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
    FileChannel ch =
        FileChannel.open(
            file,
            Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND),
            PosixFilePermissions.asFileAttribute(MODE));
    out = Channels.newOutputStream(ch);
    Files.setPosixFilePermissions(file, MODE); // a file left by an older rig-init was 0644
    size = ch.size();
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
