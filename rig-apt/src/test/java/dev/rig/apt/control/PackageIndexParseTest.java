package dev.rig.apt.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A large Packages index is parsed in pieces on all cores: the same records, in the same order, as
 * one pass over the whole text, and errors that name the line of the whole file.
 */
class PackageIndexParseTest {
  /** {@code count} stanzas of 11 lines each (10 fields, the blank line), about 400 bytes apiece. */
  private static String index(int count) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      text.append("Package: pkg")
          .append(i)
          .append("\nVersion: 1.")
          .append(i)
          .append("-1\nArchitecture: amd64\nPriority: optional\nDepends: libc6 (>= 2.36), pkg")
          .append(i + 1)
          .append("\nDescription: package number ")
          .append(i)
          .append("\n a continuation line of its description, long enough to fill the index\n")
          .append("Filename: pool/main/p/pkg")
          .append(i)
          .append("/pkg.deb\nSize: ")
          .append(1000 + i)
          .append("\nSHA256: ")
          .append(String.format("%064x", i))
          .append("\n\n");
    }
    return text.toString();
  }

  @Test
  void theRecordsOfALargeIndexAreThoseOfOnePassInTheSameOrder() {
    String text = index(15_000);
    assertTrue(text.length() > 4 << 20, "large enough to be cut in pieces: " + text.length());

    List<PackageRecord> pieces = PackageRecord.parseIndex("Packages", text);
    List<PackageRecord> onePass =
        ControlParser.parse("Packages", text).stream().map(PackageRecord::from).toList();

    assertEquals(15_000, pieces.size());
    assertEquals(onePass, pieces);
    assertEquals("pkg0", pieces.get(0).name());
    assertEquals("pkg14999", pieces.get(14_999).name());
  }

  @Test
  void anErrorLateInALargeIndexNamesItsLineInTheWholeFile() {
    String text = index(15_000);
    String bad = "Package: pkg9000\n";
    int at = text.indexOf(bad);
    // The second field of stanza 9000 repeats the first: line 9000 * 11 + 2 of the file.
    String broken =
        text.substring(0, at) + bad + "Package: again\n" + text.substring(at + bad.length());

    ControlFileException e =
        assertThrows(
            ControlFileException.class, () -> PackageRecord.parseIndex("Packages", broken));
    assertEquals("Packages:" + (9000 * 11 + 2) + ": field Package repeated", e.getMessage());
  }

  @Test
  void linesEndingInCarriageReturnsAreTheSameFields() {
    List<Stanza> stanzas = ControlParser.parse("x", "Package: a\r\nVersion: 1\r\n\r\nPackage: b\n");
    assertEquals(2, stanzas.size());
    assertEquals("1", stanzas.get(0).get("Version").orElseThrow());
    assertEquals(4, stanzas.get(1).line());
  }
}
