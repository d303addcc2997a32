package dev.rig.oci.tar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.oci.ExternalTool;
import dev.rig.oci.Fixtures;
import dev.rig.oci.TarTestSupport;
import dev.rig.oci.TarTestSupport.Written;
import dev.rig.oci.compress.Compression;
import dev.rig.oci.digest.Digest;
import dev.rig.oci.layer.Content;
import dev.rig.oci.layer.HostTree;
import dev.rig.oci.layer.LayerEntry;
import dev.rig.oci.layer.LayerInput;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerTarWriterTest {
  /**
   * Pinned output for {@link Fixtures#sample()}. If one of these changes, the tar format or a
   * compressor changed: every user's layer digests change with it. Bump {@link
   * LayerTarWriter#FORMAT_VERSION} and update these only when that is intended.
   */
  private static final String GOLDEN_DIFF_ID =
      "sha256:459f1eb9ef90ca24909f3aac23db83de9e11f9d9daa21792d2f6ca651c86704f";

  private static final long GOLDEN_SIZE = 21504;
  private static final String GOLDEN_GZIP =
      "sha256:742e12cabe14adcd1dc5e28e2117fd4fc6af2fd50c6c72f62eea432e7c3811d5";
  private static final String GOLDEN_ZSTD =
      "sha256:3eb2962d8c0cafcaa169125706b9c714630d5e62a810cd9a6a2d41c8eaed4275";
  private static final String GOLDEN_DIFF_ID_AT_1700000000 =
      "sha256:a371e50d303ff74f30ac178c7f966cb6121ee2ec2db70eb5904e15012683d751";

  @TempDir Path temp;

  @Test
  void goldenDigestsArePinned() throws IOException {
    Written tar = TarTestSupport.tar(Fixtures.sample(), 0);
    assertEquals(GOLDEN_DIFF_ID, tar.summary().diffId().toString());
    assertEquals(GOLDEN_SIZE, tar.summary().size());
    assertEquals(
        GOLDEN_GZIP, Digest.of(TarTestSupport.compress(tar.bytes(), Compression.GZIP)).toString());
    assertEquals(
        GOLDEN_ZSTD, Digest.of(TarTestSupport.compress(tar.bytes(), Compression.ZSTD)).toString());
    assertEquals(
        GOLDEN_DIFF_ID_AT_1700000000,
        TarTestSupport.tar(Fixtures.sample(), 1700000000L).summary().diffId().toString());
  }

  @Test
  void digestAndSizeAreComputedWhileWritingAndMatchTheBytes() throws IOException {
    Written tar = TarTestSupport.tar(Fixtures.sample(), 0);
    assertEquals(Digest.of(tar.bytes()), tar.summary().diffId());
    assertEquals(tar.bytes().length, tar.summary().size());
    assertEquals(0, tar.bytes().length % 512);
  }

  @Test
  void entryOrderDoesNotMatter() throws IOException {
    assertArrayEquals(
        TarTestSupport.tar(Fixtures.sample(), 0).bytes(),
        TarTestSupport.tar(Fixtures.sampleReversed(), 0).bytes());
  }

  @Test
  void hostTimesAndCreationOrderDoNotMatter() throws IOException {
    Path a = makeTree(temp.resolve("a"), List.of("z.txt", "a.txt", "sub/m.txt"), 1_000_000L);
    Path b = makeTree(temp.resolve("b"), List.of("sub/m.txt", "a.txt", "z.txt"), 1_600_000_000L);
    LayerInput inA = new LayerInput(HostTree.entries(a, "/app", OptionalInt.empty(), 0, 0), "copy");
    LayerInput inB = new LayerInput(HostTree.entries(b, "/app", OptionalInt.empty(), 0, 0), "copy");
    Written tarA = TarTestSupport.tar(inA, 0);
    Written tarB = TarTestSupport.tar(inB, 0);
    assertArrayEquals(tarA.bytes(), tarB.bytes());
    assertEquals(tarA.summary().diffId(), tarB.summary().diffId());
  }

  @Test
  void sourceDateEpochIsTheOnlyTime() throws IOException {
    Written tar = TarTestSupport.tar(Fixtures.sample(), 1700000000L);
    for (TarArchiveEntry entry : read(tar.bytes()).keySet()) {
      assertEquals(Instant.ofEpochSecond(1700000000L), entry.getModTime().toInstant());
    }
    assertNotEquals(
        TarTestSupport.tar(Fixtures.sample(), 0).summary().diffId(), tar.summary().diffId());
  }

  @Test
  void headersCarryNoHostDataAndOnlyNeededPaxRecords() throws IOException {
    Map<TarArchiveEntry, byte[]> entries = read(TarTestSupport.tar(Fixtures.sample(), 0).bytes());
    Map<String, TarArchiveEntry> byName = new HashMap<>();
    for (TarArchiveEntry entry : entries.keySet()) {
      byName.put(entry.getName(), entry);
      assertEquals("", entry.getUserName(), entry.getName());
      assertEquals("", entry.getGroupName(), entry.getName());
      assertTrue(
          Set.of("path", "linkpath").containsAll(entry.getExtraPaxHeaders().keySet()),
          entry.getName() + " has pax records " + entry.getExtraPaxHeaders());
      assertFalse(entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO());
    }
    TarArchiveEntry longFile = byName.get(Fixtures.LONG_FILE.substring(1));
    assertTrue(Fixtures.LONG_FILE.length() > 100);
    assertEquals("long\n", new String(entries.get(longFile), "UTF-8"));
    assertEquals(Fixtures.LONG_TARGET, byName.get("opt/long-link").getLinkName());
    assertTrue(byName.get("etc/").isDirectory());
    assertEquals(04755, byName.get("usr/local/bin/suid").getMode() & 07777);
    assertEquals(01777, byName.get("tmp/").getMode() & 07777);
    assertEquals(1000, byName.get("home/user/.profile").getLongUserId());
    assertTrue(byName.get("bin/tool-link").isLink());
    assertEquals("bin/tool", byName.get("bin/tool-link").getLinkName());
    assertTrue(byName.containsKey("opt/unicode-\u00e9t\u00e9.txt"));
  }

  @Test
  void implicitParentsComeFirstAsRootOwned0755() throws IOException {
    LayerInput input =
        new LayerInput(
            List.of(LayerEntry.file("/a/b/c", Content.ofBytes(new byte[] {1}), 0600, 5, 6)), "x");
    List<TarArchiveEntry> entries =
        List.copyOf(read(TarTestSupport.tar(input, 0).bytes()).keySet());
    assertEquals(List.of("a/", "a/b/", "a/b/c"), entries.stream().map(e -> e.getName()).toList());
    assertEquals(0755, entries.get(0).getMode() & 07777);
    assertEquals(0, entries.get(0).getLongUserId());
    assertEquals(0600, entries.get(2).getMode() & 07777);
  }

  @Test
  void gnuTarExtractsModesLinksAndLongNames() throws IOException {
    Path file = temp.resolve("layer.tar");
    Files.write(file, TarTestSupport.tar(Fixtures.sample(), 0).bytes());
    Path out = Files.createDirectories(temp.resolve("out"));
    ExternalTool.tar(out, "-xpf", file.toString(), "--numeric-owner").ok();
    assertEquals("rig\n", Files.readString(out.resolve("etc/hostname")));
    assertEquals("long\n", Files.readString(out.resolve(Fixtures.LONG_FILE.substring(1))));
    assertEquals(
        Fixtures.LONG_TARGET, Files.readSymbolicLink(out.resolve("opt/long-link")).toString());
    assertEquals(
        Files.getAttribute(out.resolve("bin/tool"), "unix:ino"),
        Files.getAttribute(out.resolve("bin/tool-link"), "unix:ino"));
    assertEquals(
        04755,
        ((Integer) Files.getAttribute(out.resolve("usr/local/bin/suid"), "unix:mode")) & 07777);
    String listing =
        ExternalTool.tar(out, "-tvf", file.toString(), "--numeric-owner").ok().stdout();
    assertTrue(listing.contains("-rwsr-xr-x 0/0"), listing);
    assertTrue(listing.contains("1970-01-01 00:00"), listing);
  }

  @Test
  void gzipHasAFixedHeaderAndDecompresses() throws IOException {
    byte[] tar = TarTestSupport.tar(Fixtures.sample(), 0).bytes();
    byte[] gz = TarTestSupport.compress(tar, Compression.GZIP);
    assertEquals((byte) 0x1f, gz[0]);
    assertEquals((byte) 0x8b, gz[1]);
    assertEquals(0, gz[3], "no FNAME/FCOMMENT/FEXTRA flags");
    assertArrayEquals(new byte[4], new byte[] {gz[4], gz[5], gz[6], gz[7]}, "mtime 0");
    assertEquals(3, gz[9], "OS byte fixed to Unix");
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      assertArrayEquals(tar, in.readAllBytes());
    }
  }

  @Test
  void zstdDecompressesWithTheZstdTool() throws IOException {
    byte[] tar = TarTestSupport.tar(Fixtures.sample(), 0).bytes();
    Path zst = temp.resolve("layer.tar.zst");
    Files.write(zst, TarTestSupport.compress(tar, Compression.ZSTD));
    ExternalTool.run(temp, "zstd", "zstd", "-q", "-d", zst.toString(), "-o", "layer.tar").ok();
    assertArrayEquals(tar, Files.readAllBytes(temp.resolve("layer.tar")));
  }

  @Test
  void largeFilesUseAPaxSizeRecord() throws IOException {
    // Only the header logic is exercised: a pax size record for sizes over 8 GiB - 1.
    byte[] records = TarStreamWriter.paxRecords(Map.of("size", "8589934592"));
    assertEquals("19 size=8589934592\n", new String(records, "UTF-8"));
    byte[] hundred = TarStreamWriter.paxRecords(Map.of("path", "x".repeat(91)));
    assertEquals(hundred.length, Integer.parseInt(new String(hundred, "UTF-8").split(" ")[0]));
  }

  /**
   * Host files are read through a channel straight into direct buffers (and on into the zstd
   * compressor as buffers); the tar and the compressed bytes are those of the same content in
   * memory, across read-chunk boundaries and for an empty file.
   */
  @Test
  void hostFilesGiveTheSameBytesAsTheirContentInMemory() throws IOException {
    byte[] big = new byte[300_000];
    new java.util.Random(5).nextBytes(big);
    Arrays.fill(big, 1000, 200_000, (byte) 'x');
    Map<String, byte[]> files = new java.util.TreeMap<>();
    files.put("/big", big);
    files.put("/small", Fixtures.utf8("small\n"));
    files.put("/empty", new byte[0]);
    LayerInput.Builder onDisk = LayerInput.builder("host");
    LayerInput.Builder inMemory = LayerInput.builder("memory");
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Path path = temp.resolve(file.getKey().substring(1));
      Files.write(path, file.getValue());
      onDisk.add(LayerEntry.file(file.getKey(), Content.ofFile(path), 0644, 0, 0));
      inMemory.add(LayerEntry.file(file.getKey(), Content.ofBytes(file.getValue()), 0644, 0, 0));
    }
    assertArrayEquals(
        TarTestSupport.tar(inMemory.build(), 0).bytes(),
        TarTestSupport.tar(onDisk.build(), 0).bytes());
    assertArrayEquals(zstdLayer(inMemory.build()), zstdLayer(onDisk.build()));
  }

  private static byte[] zstdLayer(LayerInput input) throws IOException {
    java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
    try (java.io.OutputStream zstd = Compression.ZSTD.compress(sink)) {
      LayerTarWriter.write(dev.rig.oci.layer.LayerPlan.of(input), 0, zstd);
    }
    return sink.toByteArray();
  }

  private static Path makeTree(Path root, List<String> files, long mtime) throws IOException {
    for (String name : files) {
      Path file = root.resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, "content of " + name);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
      Files.setLastModifiedTime(file, FileTime.fromMillis(mtime * 1000));
    }
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(
        root.resolve("sub"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setLastModifiedTime(root.resolve("sub"), FileTime.fromMillis(mtime * 1000 + 7));
    return root;
  }

  private static Map<TarArchiveEntry, byte[]> read(byte[] tar) throws IOException {
    Map<TarArchiveEntry, byte[]> entries = new java.util.LinkedHashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      TarArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        entries.put(entry, in.readAllBytes());
      }
    }
    return entries;
  }
}
