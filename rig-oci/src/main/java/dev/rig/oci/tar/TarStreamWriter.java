package dev.rig.oci.tar;

import dev.rig.oci.digest.ByteBufferOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes a POSIX (pax) tar stream whose bytes depend only on the calls made: no host user or group
 * names, no host times, no padding to a record size. Every header is plain ustar; a pax extended
 * header is added only when a value does not fit (path or link over 100 bytes or not ASCII, size of
 * 8 GiB or more) and then holds only those values.
 *
 * <p>Written by hand rather than with commons-compress so that every byte is under this class's
 * control (commons-compress fills in the JVM user's name and may add time records).
 */
public final class TarStreamWriter implements AutoCloseable {
  static final int BLOCK = 512;
  private static final long MAX_USTAR_SIZE = 077777777777L;
  private static final byte[] ZEROS = new byte[BLOCK];

  /** The fixed name of pax extended headers (never derived from the entry, never host data). */
  private static final String PAX_NAME = "././@PaxHeader";

  /**
   * One read from a file: large enough to keep system calls few, small enough that the bytes are
   * still in the CPU caches when they are hashed and compressed.
   */
  private static final int CHUNK = 128 * 1024;

  private final OutputStream out;
  private final long mtime;
  private boolean finished;

  /** Reused for every file of the layer (made on first use). */
  private byte[] buffer;

  private ByteBuffer direct;

  /**
   * @param out receives the tar bytes (not closed by {@link #finish()})
   * @param mtimeSeconds the modification time written into every header
   */
  public TarStreamWriter(OutputStream out, long mtimeSeconds) {
    if (mtimeSeconds < 0 || mtimeSeconds > MAX_USTAR_SIZE) {
      throw new IllegalArgumentException("tar mtime out of range: " + mtimeSeconds);
    }
    this.out = out;
    this.mtime = mtimeSeconds;
  }

  /** A directory; {@code name} is relative ("usr/bin") and gets a trailing "/" in the tar. */
  public void directory(String name, int mode, int uid, int gid) throws IOException {
    header(name + "/", '5', mode, uid, gid, 0, "");
  }

  /** A regular file of exactly {@code size} bytes read from {@code content}. */
  public void file(String name, int mode, int uid, int gid, long size, InputStream content)
      throws IOException {
    header(name, '0', mode, uid, gid, size, "");
    long copied = copy(content, size);
    if (copied != size || content.read() != -1) {
      throw new IOException(name + ": content is not " + size + " bytes (changed while read?)");
    }
    pad(size);
  }

  /**
   * A regular file of exactly {@code size} bytes read from the host file {@code path}. The bytes go
   * from the file into a direct buffer and on as a buffer to an output that takes one ({@link
   * ByteBufferOutput}: the zstd compressor), never through a {@code byte[]}.
   */
  public void file(String name, int mode, int uid, int gid, long size, Path path)
      throws IOException {
    header(name, '0', mode, uid, gid, size, "");
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      long copied = copy(channel, size);
      if (copied != size || channel.read(ByteBuffer.allocate(1)) != -1) {
        throw new IOException(name + ": content is not " + size + " bytes (changed while read?)");
      }
    }
    pad(size);
  }

  public void symlink(String name, String target, int uid, int gid) throws IOException {
    header(name, '2', 0777, uid, gid, 0, target);
  }

  /** A hardlink; {@code target} is the relative name of an entry written earlier. */
  public void hardlink(String name, String target, int mode, int uid, int gid) throws IOException {
    header(name, '1', mode, uid, gid, 0, target);
  }

  /** Writes the two zero blocks that end an archive. Does not close the stream. */
  public void finish() throws IOException {
    if (!finished) {
      out.write(ZEROS);
      out.write(ZEROS);
      out.flush();
      finished = true;
    }
  }

  /** Finishes the archive (the underlying stream stays open). */
  @Override
  public void close() throws IOException {
    finish();
  }

  private void header(
      String name, char type, int mode, int uid, int gid, long size, String linkName)
      throws IOException {
    if (finished) {
      throw new IllegalStateException("tar already finished");
    }
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    byte[] linkBytes = linkName.getBytes(StandardCharsets.UTF_8);
    SortedMap<String, String> pax = new TreeMap<>();
    if (!fitsUstar(name, nameBytes)) {
      pax.put("path", name);
    }
    if (!fitsUstar(linkName, linkBytes)) {
      pax.put("linkpath", linkName);
    }
    if (size > MAX_USTAR_SIZE) {
      pax.put("size", Long.toString(size));
    }
    if (!pax.isEmpty()) {
      byte[] records = paxRecords(pax);
      out.write(ustarBlock(ascii(PAX_NAME), 'x', 0644, 0, 0, records.length, new byte[0]));
      out.write(records);
      pad(records.length);
    }
    out.write(
        ustarBlock(
            truncate(nameBytes),
            type,
            mode,
            uid,
            gid,
            size > MAX_USTAR_SIZE ? 0 : size,
            truncate(linkBytes)));
  }

  private byte[] ustarBlock(
      byte[] nameBytes, char type, int mode, int uid, int gid, long size, byte[] linkBytes) {
    byte[] block = new byte[BLOCK];
    System.arraycopy(nameBytes, 0, block, 0, nameBytes.length);
    octal(block, 100, 8, mode);
    octal(block, 108, 8, uid);
    octal(block, 116, 8, gid);
    octal(block, 124, 12, size);
    octal(block, 136, 12, mtime);
    block[156] = (byte) type;
    System.arraycopy(linkBytes, 0, block, 157, linkBytes.length);
    System.arraycopy(ascii("ustar\0"), 0, block, 257, 6);
    System.arraycopy(ascii("00"), 0, block, 263, 2);
    // uname and gname stay empty (all zero): ownership is numeric only.
    octal(block, 329, 8, 0);
    octal(block, 337, 8, 0);
    // The checksum is computed with its own field set to spaces.
    for (int i = 148; i < 156; i++) {
      block[i] = ' ';
    }
    long sum = 0;
    for (byte b : block) {
      sum += b & 0xff;
    }
    octal(block, 148, 7, sum);
    block[155] = ' ';
    return block;
  }

  /** A value fits the plain header when it is ASCII and at most 100 bytes. */
  private static boolean fitsUstar(String value, byte[] utf8) {
    return utf8.length <= 100 && utf8.length == value.length();
  }

  private static byte[] truncate(byte[] bytes) {
    if (bytes.length <= 100) {
      return bytes;
    }
    byte[] cut = new byte[100];
    System.arraycopy(bytes, 0, cut, 0, 100);
    return cut;
  }

  /** Zero-padded octal digits followed by NUL, filling {@code width} bytes. */
  private static void octal(byte[] block, int offset, int width, long value) {
    String digits = Long.toOctalString(value);
    int length = width - 1;
    if (digits.length() > length) {
      throw new IllegalArgumentException("value " + value + " does not fit a tar header field");
    }
    String padded = "0".repeat(length - digits.length()) + digits;
    System.arraycopy(ascii(padded), 0, block, offset, length);
    block[offset + length] = 0;
  }

  /** pax records "LEN KEY=VALUE\n", where LEN counts the whole record including itself. */
  static byte[] paxRecords(Map<String, String> values) {
    StringBuilder records = new StringBuilder();
    for (Map.Entry<String, String> entry : values.entrySet()) {
      int body =
          (" " + entry.getKey() + "=" + entry.getValue() + "\n")
              .getBytes(StandardCharsets.UTF_8)
              .length;
      int length = body + Integer.toString(body).length();
      if (Integer.toString(length).length() != Integer.toString(body).length()) {
        length = body + Integer.toString(length).length();
      }
      records
          .append(length)
          .append(' ')
          .append(entry.getKey())
          .append('=')
          .append(entry.getValue())
          .append('\n');
    }
    return records.toString().getBytes(StandardCharsets.UTF_8);
  }

  private long copy(FileChannel channel, long size) throws IOException {
    if (direct == null) {
      direct = ByteBuffer.allocateDirect(CHUNK);
    }
    long copied = 0;
    while (copied < size) {
      direct.clear();
      direct.limit((int) Math.min(CHUNK, size - copied));
      int n = channel.read(direct);
      if (n < 0) {
        break;
      }
      direct.flip();
      ByteBufferOutput.write(out, direct, scratch());
      copied += n;
    }
    return copied;
  }

  private byte[] scratch() {
    if (buffer == null) {
      buffer = new byte[64 * 1024];
    }
    return buffer;
  }

  private long copy(InputStream in, long size) throws IOException {
    byte[] buffer = scratch();
    long copied = 0;
    while (copied < size) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, size - copied));
      if (n < 0) {
        break;
      }
      out.write(buffer, 0, n);
      copied += n;
    }
    return copied;
  }

  private void pad(long size) throws IOException {
    int remainder = (int) (size % BLOCK);
    if (remainder != 0) {
      out.write(ZEROS, 0, BLOCK - remainder);
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
