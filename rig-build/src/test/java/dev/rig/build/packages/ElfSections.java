package dev.rig.build.packages;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** The section names of a 64-bit little-endian ELF file: enough to tell a stripped library. */
final class ElfSections {
  private ElfSections() {}

  static List<String> names(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer elf = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
      elf.order(ByteOrder.LITTLE_ENDIAN);
      long shoff = elf.getLong(0x28);
      int shentsize = Short.toUnsignedInt(elf.getShort(0x3A));
      int shnum = Short.toUnsignedInt(elf.getShort(0x3C));
      int shstrndx = Short.toUnsignedInt(elf.getShort(0x3E));
      long strings = elf.getLong((int) (shoff + (long) shstrndx * shentsize + 0x18));
      List<String> names = new ArrayList<>();
      for (int i = 0; i < shnum; i++) {
        int name = elf.getInt((int) (shoff + (long) i * shentsize));
        int start = (int) (strings + name);
        int end = start;
        while (elf.get(end) != 0) {
          end++;
        }
        byte[] bytes = new byte[end - start];
        elf.get(start, bytes);
        names.add(new String(bytes, StandardCharsets.US_ASCII));
      }
      return names;
    }
  }
}
