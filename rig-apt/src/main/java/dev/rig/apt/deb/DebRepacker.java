package dev.rig.apt.deb;

import dev.rig.oci.io.AtomicFiles;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Rewrites a .deb so that its data member is the plain {@code data.tar} that its compressed member
 * holds, byte for byte, with every other member copied as it is. dpkg unpacks exactly the same
 * entries from it, but without decompressing anything: the decompression happens once, here, and
 * for many packages at a time on all cores, where dpkg would do it one package after another. A
 * {@link DataDecoder} decompresses: in this process, or a native decoder of the image's own.
 *
 * <p>The one pass over the data also checks every entry (as {@link DebUnpacker} does) and keeps
 * what installing needs before dpkg runs: the entry list and the content of the conffiles.
 */
public final class DebRepacker {
  private static final byte[] AR_MAGIC = "!<arch>\n".getBytes(StandardCharsets.US_ASCII);
  private static final int HEADER = 60;

  private final DataDecoder decoder;

  /** A repacker that decompresses in this process. */
  public DebRepacker() {
    this(DataDecoder.IN_PROCESS);
  }

  /** A repacker that decompresses the data members with {@code decoder}. */
  public DebRepacker(DataDecoder decoder) {
    this.decoder = decoder;
  }

  /**
   * Writes the repacked form of {@code archive} to {@code target} (through a temp name beside it)
   * and returns what the pass learnt. The .deb is trusted to be the verified download.
   */
  public RepackedDeb repack(DebArchive archive, Path target) throws IOException {
    Path deb = archive.file();
    Path temp = AtomicFiles.newTemp(target);
    try {
      RepackedDeb repacked;
      try (FileChannel in = FileChannel.open(deb, StandardOpenOption.READ);
          FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        repacked = copyMembers(archive, in, out, target);
      }
      AtomicFiles.commit(temp, target);
      return repacked;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private RepackedDeb copyMembers(DebArchive archive, FileChannel in, FileChannel out, Path target)
      throws IOException {
    Path deb = archive.file();
    ByteBuffer magic = read(in, 0, AR_MAGIC.length, deb);
    if (!Arrays.equals(magic.array(), AR_MAGIC)) {
      throw new IOException(deb + ": not an ar archive, so not a .deb");
    }
    out.write(ByteBuffer.wrap(AR_MAGIC));
    long size = in.size();
    long pos = AR_MAGIC.length;
    Optional<RepackedDeb> repacked = Optional.empty();
    while (pos < size) {
      byte[] header = read(in, pos, HEADER, deb).array();
      if (header[58] != '`' || header[59] != '\n') {
        throw new IOException(deb + ": ar member header at byte " + pos + " is damaged");
      }
      String name = new String(header, 0, 16, StandardCharsets.US_ASCII).strip();
      name = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
      long length = decimal(header, 48, 10, deb);
      long next = pos + HEADER + length + (length & 1);
      if (next > size) {
        throw new IOException(deb + ": ar member " + name + " is truncated");
      }
      if (name.equals(archive.dataMember())) {
        repacked = Optional.of(writeData(archive, header, pos + HEADER, length, out, target));
      } else {
        // Header, content and padding as they are: dpkg reads the control part unchanged.
        for (long done = 0; done < next - pos; ) {
          done += in.transferTo(pos + done, next - pos - done, out);
        }
      }
      pos = next;
    }
    return repacked.orElseThrow(
        () -> new IOException(deb + ": no " + archive.dataMember() + " member"));
  }

  /** Writes the data member uncompressed, with a header that says its real size. */
  private RepackedDeb writeData(
      DebArchive archive, byte[] original, long start, long length, FileChannel out, Path target)
      throws IOException {
    Path deb = archive.file();
    long headerAt = out.position();
    out.write(ByteBuffer.allocate(HEADER));
    String pkg = archive.packageName() + " " + archive.version();
    EntryChecker checker = new EntryChecker(pkg);
    Set<String> conffileNames = new HashSet<>(archive.conffiles());
    List<UnpackedEntry> entries = new ArrayList<>();
    Map<String, byte[]> conffiles = new LinkedHashMap<>();
    long written;
    OutputStream sink = new BufferedOutputStream(Channels.newOutputStream(out), 1 << 16);
    try (InputStream decoded = decoder.open(deb, archive.dataMember(), start, length);
        Copying copying = new Copying(decoded, sink);
        TarArchiveInputStream tar = new TarArchiveInputStream(copying)) {
      TarArchiveEntry t;
      while ((t = tar.getNextEntry()) != null) {
        Optional<UnpackedEntry> checked = checker.check(DataEntry.of(t));
        if (checked.isEmpty()) {
          continue;
        }
        UnpackedEntry entry = checked.get();
        entries.add(entry);
        if (entry.type() == DataEntry.Type.FILE && conffileNames.contains(entry.path())) {
          // Conffiles are small configuration files; holding them saves a second read.
          conffiles.put(entry.path(), tar.readAllBytes());
        }
      }
      // What follows the last entry (end blocks, padding) is part of the stream dpkg reads too.
      copying.transferTo(OutputStream.nullOutputStream());
      written = copying.count();
    } catch (UnsafePackageException e) {
      throw e;
    } catch (IOException e) {
      throw new IOException(
          deb + " (" + pkg + "): cannot read " + archive.dataMember() + ": " + e.getMessage(), e);
    }
    sink.flush();
    if ((written & 1) != 0) {
      out.write(ByteBuffer.wrap(new byte[] {'\n'}));
    }
    out.write(ByteBuffer.wrap(dataHeader(original, written, deb)), headerAt);
    return new RepackedDeb(target, archive, entries, conffiles);
  }

  /** The original data member's header with the name {@code data.tar} and the new size. */
  private static byte[] dataHeader(byte[] original, long size, Path deb) throws IOException {
    String sizeText = Long.toString(size);
    if (sizeText.length() > 10) {
      throw new IOException(deb + ": data.tar of " + size + " bytes does not fit an ar member");
    }
    byte[] header = original.clone();
    boolean slash = new String(original, 0, 16, StandardCharsets.US_ASCII).strip().endsWith("/");
    put(header, 0, 16, slash ? "data.tar/" : "data.tar");
    put(header, 48, 10, sizeText);
    return header;
  }

  private static void put(byte[] header, int at, int width, String text) {
    Arrays.fill(header, at, at + width, (byte) ' ');
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, header, at, bytes.length);
  }

  private static long decimal(byte[] header, int at, int width, Path deb) throws IOException {
    String text = new String(header, at, width, StandardCharsets.US_ASCII).strip();
    try {
      long value = Long.parseLong(text);
      if (value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IOException(deb + ": ar member size '" + text + "' is not a number");
    }
  }

  private static ByteBuffer read(FileChannel in, long at, int length, Path deb) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (in.read(buffer, at + buffer.position()) < 0) {
        throw new IOException(deb + ": ends inside an ar header (truncated download?)");
      }
    }
    return buffer;
  }

  /** Passes every byte read or skipped on to {@code sink}, counting them. */
  private static final class Copying extends FilterInputStream {
    private final OutputStream sink;
    private long count;

    Copying(InputStream in, OutputStream sink) {
      super(in);
      this.sink = sink;
    }

    long count() {
      return count;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        sink.write(b);
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        sink.write(b, off, n);
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      // Skipped bytes are still part of the tar: read them so that they are copied.
      byte[] scratch = new byte[1 << 16];
      long done = 0;
      while (done < n) {
        int k = read(scratch, 0, (int) Math.min(scratch.length, n - done));
        if (k < 0) {
          break;
        }
        done += k;
      }
      return done;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    @Override
    public void close() {
      // The decoded stream is closed by its own try, which checks how its decoder ended.
    }
  }
}
