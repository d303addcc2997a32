package dev.rig.oci.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * A response body that, when the connection is cut or stalls mid-body, asks for the rest and goes
 * on, so the reader sees one unbroken stream. Resumes share the retry policy's attempt budget.
 */
final class ResumingStream extends InputStream {
  private final RetryingGet get;
  private final URI uri;
  private InputStream current;
  private long position;
  private int attempt = 1;

  ResumingStream(RetryingGet get, URI uri, InputStream first) {
    this.get = get;
    this.uri = uri;
    this.current = first;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    while (true) {
      try {
        int n = current.read(b, off, len);
        if (n > 0) {
          position += n;
        }
        return n;
      } catch (IOException e) {
        resume(e);
      }
    }
  }

  private void resume(IOException cause) throws IOException {
    String what = "GET " + uri;
    String reason = NetFailure.describe(cause, uri);
    RetryPolicy retry = get.settings().retry();
    if (!NetFailure.isTransient(cause) || attempt >= retry.maxAttempts()) {
      throw RetryingGet.gaveUp(what, attempt, reason + " after " + position + " bytes", cause);
    }
    Duration delay = retry.backoff(attempt);
    get.listener().retrying(what, attempt, delay, reason);
    Pause.sleep(delay, what);
    attempt++;
    closeQuietly();
    Optional<RetryingGet.Body> next = get.open(uri, position);
    if (next.isEmpty()) {
      throw new IOException(what + ": the file disappeared (HTTP 404) while it was being read");
    }
    InputStream stream = next.get().stream();
    if (next.get().start() == 0 && position > 0) {
      // The server ignores ranges: read past what was already delivered.
      long skipped = stream.skip(position);
      if (skipped != position) {
        stream.close();
        throw new IOException(what + ": the file is shorter than before the connection was cut");
      }
    }
    current = stream;
  }

  private void closeQuietly() {
    try {
      current.close();
    } catch (IOException e) {
      // The old connection is already broken.
    }
  }

  @Override
  public void close() throws IOException {
    current.close();
  }
}
