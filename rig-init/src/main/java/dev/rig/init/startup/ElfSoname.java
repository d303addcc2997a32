package dev.rig.init.startup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Reads DT_SONAME from a shared library the way the dynamic loader finds it: program headers →
 * PT_DYNAMIC → DT_STRTAB (a virtual address, mapped to a file offset through the PT_LOAD segments)
 * + DT_SONAME. Reads only the few bytes it needs, so a 40 MB libcuda costs microseconds, and needs
 * no binutils in the image. Handles 32- and 64-bit, either byte order.
 */
public final class ElfSoname {
  private static final int PT_LOAD = 1;
  private static final int PT_DYNAMIC = 2;
  private static final long DT_NULL = 0;
  private static final long DT_STRTAB = 5;
  private static final long DT_SONAME = 14;

  private ElfSoname() {}

  /** The SONAME, or empty when the file is not an ELF shared object or has none. */
  public static Optional<String> read(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(ch);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> read(FileChannel ch) throws IOException {
    ByteBuffer ident = bytes(ch, 0, 16);
    if (ident.getInt(0) != 0x7f454c46) { // "\x7fELF" read big-endian
      return Optional.empty();
    }
    boolean is64 = ident.get(4) == 2;
    ByteOrder order = ident.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    ByteBuffer h = bytes(ch, 0, is64 ? 64 : 52).order(order);
    long phoff = is64 ? h.getLong(0x20) : Integer.toUnsignedLong(h.getInt(0x1c));
    int phentsize = Short.toUnsignedInt(h.getShort(is64 ? 0x36 : 0x2a));
    int phnum = Short.toUnsignedInt(h.getShort(is64 ? 0x38 : 0x2c));
    ByteBuffer ph = bytes(ch, phoff, phentsize * phnum).order(order);
    long dynOff = -1;
    long dynSize = 0;
    long[][] loads = new long[phnum][];
    for (int i = 0; i < phnum; i++) {
      int b = i * phentsize;
      int type = ph.getInt(b);
      long offset = is64 ? ph.getLong(b + 0x08) : Integer.toUnsignedLong(ph.getInt(b + 0x04));
      long vaddr = is64 ? ph.getLong(b + 0x10) : Integer.toUnsignedLong(ph.getInt(b + 0x08));
      long filesz = is64 ? ph.getLong(b + 0x20) : Integer.toUnsignedLong(ph.getInt(b + 0x10));
      if (type == PT_DYNAMIC) {
        dynOff = offset;
        dynSize = filesz;
      } else if (type == PT_LOAD) {
        loads[i] = new long[] {vaddr, offset, filesz};
      }
    }
    if (dynOff < 0 || dynSize > 1 << 20) {
      return Optional.empty();
    }
    ByteBuffer dyn = bytes(ch, dynOff, (int) dynSize).order(order);
    int entry = is64 ? 16 : 8;
    long strtab = -1;
    long soname = -1;
    for (int b = 0; b + entry <= dynSize; b += entry) {
      long tag = is64 ? dyn.getLong(b) : dyn.getInt(b);
      long val = is64 ? dyn.getLong(b + 8) : Integer.toUnsignedLong(dyn.getInt(b + 4));
      if (tag == DT_NULL) {
        break;
      } else if (tag == DT_STRTAB) {
        strtab = val;
      } else if (tag == DT_SONAME) {
        soname = val;
      }
    }
    if (strtab < 0 || soname < 0) {
      return Optional.empty();
    }
    long strOff = -1;
    for (long[] l : loads) {
      if (l != null && strtab >= l[0] && strtab < l[0] + l[2]) {
        strOff = strtab - l[0] + l[1];
      }
    }
    if (strOff < 0) {
      return Optional.empty();
    }
    ByteBuffer s = bytes(ch, strOff + soname, 256);
    StringBuilder name = new StringBuilder();
    for (int i = 0; i < s.limit() && s.get(i) != 0; i++) {
      name.append((char) (s.get(i) & 0xff));
    }
    return name.length() == 0 ? Optional.empty() : Optional.of(name.toString());
  }

  private static ByteBuffer bytes(FileChannel ch, long pos, int len) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(len);
    while (b.hasRemaining()) {
      if (ch.read(b, pos + b.position()) < 0) {
        break;
      }
    }
    b.flip();
    return b;
  }
}
