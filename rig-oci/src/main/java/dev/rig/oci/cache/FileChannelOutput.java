package dev.rig.oci.cache;

import dev.rig.oci.digest.ByteBufferOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a new file: small writes are gathered in a buffer, and buffers (a compressor's direct
 * output) go to the channel as they are, without a copy through the heap.
 */
final class FileChannelOutput extends OutputStream implements ByteBufferOutput {
  private final FileChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
  private boolean closed;

  FileChannelOutput(Path path) throws IOException {
    this.channel =
        FileChannel.open(
            path,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
  }

  @Override
  public void write(int b) throws IOException {
    if (!buffer.hasRemaining()) {
      drainBuffer();
    }
    buffer.put((byte) b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (len >= buffer.capacity()) {
      drainBuffer();
      writeFully(ByteBuffer.wrap(b, off, len));
      return;
    }
    if (len > buffer.remaining()) {
      drainBuffer();
    }
    buffer.put(b, off, len);
  }

  @Override
  public void write(ByteBuffer src) throws IOException {
    drainBuffer();
    writeFully(src);
  }

  @Override
  public void flush() throws IOException {
    drainBuffer();
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (channel) {
      drainBuffer();
    }
  }

  private void drainBuffer() throws IOException {
    buffer.flip();
    writeFully(buffer);
    buffer.clear();
  }

  private void writeFully(ByteBuffer src) throws IOException {
    while (src.hasRemaining()) {
      channel.write(src);
    }
  }
}
