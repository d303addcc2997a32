package dev.rig.build.vm;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.LZMAInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The uncompressed kernel ELF that Firecracker boots, taken out of a bzImage: the x86 boot header
 * says where the compressed payload lies (boot protocol 2.08 and later), its first bytes say how it
 * is compressed, and decompressing it gives {@code vmlinux}. The same idea as the kernel tree's
 * extract-vmlinux script, without guessing offsets by scanning for magic numbers.
 */
final class Vmlinux {
  private static final int SETUP_SECTS = 0x1f1;
  private static final int HEADER_MAGIC = 0x202;
  private static final int VERSION = 0x206;
  private static final int PAYLOAD_OFFSET = 0x248;
  private static final int PAYLOAD_LENGTH = 0x24c;

  private Vmlinux() {}

  /** The ELF inside {@code bzImage}; fails with what was found when it is not a bzImage. */
  static byte[] extract(byte[] bzImage, String source) throws IOException {
    ByteBuffer header = ByteBuffer.wrap(bzImage).order(ByteOrder.LITTLE_ENDIAN);
    if (bzImage.length < 0x260 || header.getInt(HEADER_MAGIC) != 0x53726448) {
      throw new IOException(source + " is not an x86 bzImage (no HdrS boot header)");
    }
    int version = header.getShort(VERSION) & 0xffff;
    if (version < 0x208) {
      throw new IOException(
          source
              + " uses boot protocol "
              + Integer.toHexString(version)
              + ", older than 2.08, which does not say where its payload is");
    }
    int setupSectors = bzImage[SETUP_SECTS] & 0xff;
    int protectedMode = ((setupSectors == 0 ? 4 : setupSectors) + 1) * 512;
    int offset = protectedMode + header.getInt(PAYLOAD_OFFSET);
    int length = header.getInt(PAYLOAD_LENGTH);
    if (offset < 0 || length <= 0 || offset + length > bzImage.length) {
      throw new IOException(source + ": its boot header points past the end of the file");
    }
    // The build appends the uncompressed length (le32) to the compressed stream: a decompressor
    // that read on would take it for the start of another frame.
    byte[] payload = Arrays.copyOfRange(bzImage, offset, offset + length - 4);
    long expected = header.getInt(offset + length - 4) & 0xffffffffL;
    byte[] elf;
    try (InputStream in = decompressor(payload, source)) {
      elf = in.readAllBytes();
    }
    if (elf.length != expected) {
      throw new IOException(
          source
              + ": the payload decompressed to "
              + elf.length
              + " bytes, and the kernel build recorded "
              + expected);
    }
    if (elf.length < 4 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F') {
      throw new IOException(source + ": the decompressed payload is not an ELF file");
    }
    return elf;
  }

  private static InputStream decompressor(byte[] payload, String source) throws IOException {
    InputStream in = new ByteArrayInputStream(payload);
    int b0 = payload[0] & 0xff;
    int b1 = payload[1] & 0xff;
    if (b0 == 0x1f && (b1 == 0x8b || b1 == 0x9e)) {
      return new GZIPInputStream(in);
    }
    if (b0 == 0xfd && b1 == '7' && payload[2] == 'z' && payload[3] == 'X') {
      // The kernel's xz payload carries CRC32 checks the library verifies, and may be followed
      // by padding: read as one stream.
      return new XZInputStream(in);
    }
    if (b0 == 0x28 && b1 == 0xb5 && (payload[2] & 0xff) == 0x2f && (payload[3] & 0xff) == 0xfd) {
      return new ZstdInputStreamNoFinalizer(in);
    }
    if (b0 == 0x5d && b1 == 0x00) {
      return new LZMAInputStream(in);
    }
    throw new IOException(
        source
            + ": the kernel payload is compressed with a format rig does not read (first bytes "
            + String.format("%02x %02x", b0, b1)
            + "); gzip, xz, zstd and lzma are read. Choose a kernel package built with one of"
            + " them");
  }
}
