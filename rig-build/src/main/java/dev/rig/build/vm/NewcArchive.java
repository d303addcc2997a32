package dev.rig.build.vm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A cpio archive in the kernel's initramfs format ({@code newc}): entries sorted by path, every
 * time 0, every owner root, inode numbers given in order, so that the same entries give the same
 * bytes on any host.
 */
final class NewcArchive {
  private static final int DIRECTORY = 0040000;
  private static final int REGULAR = 0100000;
  private static final int SYMLINK = 0120000;
  private static final int CHAR_DEVICE = 0020000;

  /** One member: {@code mode} holds type and permission bits. */
  record Entry(String path, int mode, byte[] data, int deviceMajor, int deviceMinor) {
    Entry {
      if (path.startsWith("/") || path.isEmpty()) {
        throw new IllegalArgumentException("cpio paths are relative and not empty: " + path);
      }
    }
  }

  private final List<Entry> entries = new ArrayList<>();

  NewcArchive directory(String path) {
    entries.add(new Entry(path, DIRECTORY | 0755, new byte[0], 0, 0));
    return this;
  }

  NewcArchive file(String path, int permissions, byte[] data) {
    entries.add(new Entry(path, REGULAR | permissions, data, 0, 0));
    return this;
  }

  NewcArchive symlink(String path, String target) {
    entries.add(new Entry(path, SYMLINK | 0777, target.getBytes(StandardCharsets.UTF_8), 0, 0));
    return this;
  }

  NewcArchive charDevice(String path, int permissions, int major, int minor) {
    entries.add(new Entry(path, CHAR_DEVICE | permissions, new byte[0], major, minor));
    return this;
  }

  /** Writes the archive (sorted, then the trailer) to {@code out}. */
  void writeTo(OutputStream out) throws IOException {
    List<Entry> sorted = entries.stream().sorted(Comparator.comparing(Entry::path)).toList();
    long written = 0;
    int inode = 1;
    for (Entry entry : sorted) {
      written += member(out, entry, inode++);
    }
    written += member(out, new Entry("TRAILER!!!", 0, new byte[0], 0, 0), 0);
    // The kernel reads initramfs in 512-byte blocks like cpio(1) writes them.
    out.write(new byte[(int) ((512 - written % 512) % 512)]);
  }

  private static long member(OutputStream out, Entry entry, int inode) throws IOException {
    byte[] name = (entry.path() + "\0").getBytes(StandardCharsets.UTF_8);
    boolean directory = (entry.mode() & 0170000) == DIRECTORY;
    ByteArrayOutputStream header = new ByteArrayOutputStream(110 + name.length + 4);
    header.writeBytes("070701".getBytes(StandardCharsets.US_ASCII));
    for (long field :
        new long[] {
          inode,
          entry.mode(),
          0, // uid
          0, // gid
          directory ? 2 : 1, // nlink
          0, // mtime
          entry.data().length,
          0, // dev major
          0, // dev minor
          entry.deviceMajor(),
          entry.deviceMinor(),
          name.length,
          0 // check
        }) {
      header.writeBytes(String.format("%08x", field).getBytes(StandardCharsets.US_ASCII));
    }
    header.writeBytes(name);
    header.writeBytes(new byte[pad(header.size())]);
    out.write(header.toByteArray());
    out.write(entry.data());
    int dataPad = pad(entry.data().length);
    out.write(new byte[dataPad]);
    return header.size() + entry.data().length + dataPad;
  }

  /** newc aligns each header+name and each file's data to 4 bytes. */
  private static int pad(long length) {
    return (int) ((4 - length % 4) % 4);
  }
}
