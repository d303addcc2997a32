package dev.rig.apt.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.apt.testrepo.TrixieFrozen;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackageRecordCodecTest {
  @Test
  void realIndexRecordsComeBackEqualAndSmallerThanTheText() throws IOException {
    String text = TrixieFrozen.packagesText();
    List<PackageRecord> records = PackageRecord.parseIndex("fixture", text);
    byte[] encoded = PackageRecordCodec.encode(records);
    assertEquals(records, PackageRecordCodec.decode(encoded));
    assertArrayEquals(encoded, PackageRecordCodec.encode(PackageRecordCodec.decode(encoded)));
    // This fixture keeps only the fields rig reads; a real index (descriptions) is 4x larger.
    assertTrue(encoded.length < text.length() * 6 / 10, encoded.length + " vs " + text.length());
  }

  @Test
  void everyDamagedByteIsRefused() throws IOException {
    byte[] encoded = PackageRecordCodec.encode(TrixieFrozen.packages().subList(0, 50));
    // The header, a string, a record, the checksum itself: each flipped byte is caught.
    for (int at :
        new int[] {0, 9, 20, encoded.length / 2, encoded.length - 40, encoded.length - 1}) {
      byte[] damaged = encoded.clone();
      damaged[at] ^= 0x10;
      assertThrows(
          PackageRecordCodec.CorruptRecordsException.class,
          () -> PackageRecordCodec.decode(damaged),
          "byte " + at);
    }
    byte[] cut = java.util.Arrays.copyOf(encoded, encoded.length - 100);
    assertThrows(
        PackageRecordCodec.CorruptRecordsException.class, () -> PackageRecordCodec.decode(cut));
  }

  @Test
  void anotherFormatVersionIsNotRead() throws IOException {
    byte[] encoded = PackageRecordCodec.encode(TrixieFrozen.packages().subList(0, 5));
    ByteBuffer.wrap(encoded).putInt(8, PackageRecordCodec.FORMAT_VERSION + 1);
    var e =
        assertThrows(
            PackageRecordCodec.CorruptRecordsException.class,
            () -> PackageRecordCodec.decode(encoded));
    assertTrue(e.getMessage().contains("format"), e.getMessage());
  }
}
