package dev.rig.build.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * vmlinux from a bzImage: the payload found through the boot header, decompressed, checked against
 * the recorded length; and the module dependencies read from .modinfo.
 */
class VmlinuxTest {
  private static final byte[] ELF = "\u007fELF and the rest of a kernel".getBytes();

  /** A minimal bzImage: 1+1 setup sectors, then a payload with its le32 length after it. */
  private static byte[] bzImage(byte[] compressed, int recordedLength) {
    int setupSectors = 1;
    int protectedMode = (setupSectors + 1) * 512;
    int payloadOffset = 64;
    ByteBuffer image =
        ByteBuffer.allocate(protectedMode + payloadOffset + compressed.length + 4 + 16)
            .order(ByteOrder.LITTLE_ENDIAN);
    image.put(0x1f1, (byte) setupSectors);
    image.putInt(0x202, 0x53726448);
    image.putShort(0x206, (short) 0x20f);
    image.putInt(0x248, payloadOffset);
    image.putInt(0x24c, compressed.length + 4);
    image.position(protectedMode + payloadOffset);
    image.put(compressed);
    image.putInt(recordedLength);
    return image.array();
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  private static byte[] xz(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (XZOutputStream xz = new XZOutputStream(out, new LZMA2Options())) {
      xz.write(data);
    }
    return out.toByteArray();
  }

  @Test
  void extractsGzipAndXzPayloadsThroughTheBootHeader() throws Exception {
    assertArrayEquals(ELF, Vmlinux.extract(bzImage(gzip(ELF), ELF.length), "k"));
    assertArrayEquals(ELF, Vmlinux.extract(bzImage(xz(ELF), ELF.length), "k"));
  }

  @Test
  void refusesWhatIsNotAKernelOrDoesNotMatchItsRecordedLength() throws Exception {
    IOException notBz =
        assertThrows(IOException.class, () -> Vmlinux.extract(new byte[4096], "vmlinuz-x"));
    assertTrue(notBz.getMessage().contains("vmlinuz-x is not an x86 bzImage"), notBz.getMessage());
    IOException length =
        assertThrows(
            IOException.class, () -> Vmlinux.extract(bzImage(gzip(ELF), ELF.length + 1), "k"));
    assertTrue(length.getMessage().contains("the kernel build recorded"), length.getMessage());
    IOException unknown =
        assertThrows(
            IOException.class, () -> Vmlinux.extract(bzImage(new byte[] {9, 9, 9, 9}, 4), "k"));
    assertTrue(unknown.getMessage().contains("gzip, xz, zstd and lzma"), unknown.getMessage());
  }

  @Test
  void moduleDependenciesComeFromModinfo() {
    byte[] module = "\0\0license=GPL\0depends=virtio,virtio-ring\0name=virtio_blk\0".getBytes();
    assertEquals(List.of("virtio", "virtio_ring"), KernelFiles.dependencies(module));
    assertEquals(List.of(), KernelFiles.dependencies("\0depends=\0".getBytes()));
  }
}
