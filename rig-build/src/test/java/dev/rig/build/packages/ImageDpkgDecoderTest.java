package dev.rig.build.packages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.apt.deb.DataEntry;
import dev.rig.apt.deb.DebArchive;
import dev.rig.apt.deb.DebRepacker;
import dev.rig.apt.deb.DebUnpacker;
import dev.rig.apt.deb.RepackedDeb;
import dev.rig.apt.deb.UnpackedDeb;
import dev.rig.apt.deb.UnpackedEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packages are decoded by the image's own dpkg-deb, in the sandbox, from a root mounted read-only.
 * The root here holds the host's dpkg-deb with its libraries, standing in for an image's; the
 * packages are built by dpkg-deb.
 */
class ImageDpkgDecoderTest {
  @TempDir static Path dir;
  static Path root;
  static Path deb;

  @BeforeAll
  static void rootAndPackage() throws IOException {
    root = HostDpkgRoot.make(dir.resolve("root"));
    deb = HostDpkgRoot.deb(dir, "bigdata", 6 << 20, "xz");
  }

  private static ImageDpkgDecoder decoder() throws IOException {
    return ImageDpkgDecoder.of(root, 0).orElseThrow();
  }

  @Test
  void theImagesXzGivesTheBytesXzJavaGives(@TempDir Path out) throws IOException {
    RepackedDeb inProcess = new DebRepacker().repack(DebArchive.open(deb), out.resolve("a.deb"));
    RepackedDeb native_ =
        new DebRepacker(decoder()).repack(DebArchive.open(deb), out.resolve("b.deb"));

    assertEquals(-1, Files.mismatch(inProcess.file(), native_.file()), "the same repacked bytes");
    assertEquals(inProcess.entries(), native_.entries());
    assertArrayEquals(
        "setting=1\n".getBytes(StandardCharsets.UTF_8),
        native_.conffile("/etc/bigdata.conf").orElseThrow());
    assertTrue(Files.size(native_.file()) > 6 << 20, "the data is stored plain");
    // On one thread (packages decoded beside a dpkg), the same bytes.
    RepackedDeb oneThread =
        new DebRepacker(decoder().oneThread()).repack(DebArchive.open(deb), out.resolve("c.deb"));
    assertEquals(-1, Files.mismatch(inProcess.file(), oneThread.file()), "one thread, same bytes");
  }

  /**
   * An unpack through the decoder gives the tree one in this process gives, for an xz member (the
   * image's dpkg-deb) and for gzip and zstd ones (decoded here from the member's place in the
   * file).
   */
  @Test
  void unpackingThroughTheDecoderGivesTheSameTree(@TempDir Path out) throws Exception {
    for (String compression : List.of("xz", "gzip", "zstd")) {
      Path each =
          compression.equals("xz")
              ? deb
              : HostDpkgRoot.deb(dir, "pkg" + compression, 1 << 20, compression);
      UnpackedDeb here = new DebUnpacker(out.resolve("here-" + compression)).unpack(each);
      UnpackedDeb there =
          new DebUnpacker(out.resolve("there-" + compression), decoder()).unpack(each);

      assertEquals(here.entries(), there.entries(), compression);
      for (UnpackedEntry entry : here.entries()) {
        if (entry.type() == DataEntry.Type.FILE) {
          assertEquals(
              -1,
              Files.mismatch(here.hostPath(entry.path()), there.hostPath(entry.path())),
              compression + " " + entry.path());
        }
      }
    }
    assertNoChildLeft();
  }

  @Test
  void aDamagedMemberIsAnErrorThatNamesThePackageAndLeavesNothing(@TempDir Path out)
      throws Exception {
    Path damaged = out.resolve("damaged.deb");
    byte[] bytes = Files.readAllBytes(deb);
    // A byte in the middle of the compressed data (the data member is the last, and the largest).
    bytes[bytes.length - bytes.length / 4] ^= 0x55;
    Files.write(damaged, bytes);
    Path target = out.resolve("repacked/x.deb");
    Files.createDirectories(target.getParent());

    IOException e =
        assertThrows(
            IOException.class,
            () -> new DebRepacker(decoder()).repack(DebArchive.open(damaged), target));
    assertTrue(e.getMessage().contains("damaged.deb"), e.getMessage());
    assertTrue(e.getMessage().contains("bigdata 1.0"), e.getMessage());
    try (Stream<Path> left = Files.list(target.getParent())) {
      assertEquals(List.of(), left.toList(), "no repacked file and no temp file is left");
    }
    assertNoChildLeft();
  }

  @Test
  void closingBeforeTheEndStopsTheDecoder() throws Exception {
    DebArchive archive = DebArchive.open(deb);
    long[] member = dataMember(deb, archive.dataMember());
    try (InputStream in = decoder().open(deb, archive.dataMember(), member[0], member[1])) {
      assertEquals(512, in.readNBytes(512).length, "the decoder's output starts to flow");
    }
    assertNoChildLeft();
  }

  @Test
  void aRootWithoutDpkgOrWhereItCannotRunHasNoDecoder(@TempDir Path other) throws IOException {
    assertFalse(ImageDpkgDecoder.of(other, 0).isPresent(), "no dpkg-deb");
    Files.createDirectories(other.resolve("usr/bin"));
    for (String mount : List.of("tmp", "run", "dev", "proc")) {
      Files.createDirectories(other.resolve(mount));
    }
    Files.copy(root.resolve("usr/bin/dpkg-deb"), other.resolve("usr/bin/dpkg-deb"));
    assertFalse(ImageDpkgDecoder.of(other, 0).isPresent(), "a dpkg-deb without its libraries");
  }

  @Test
  void stoppingTheDecoderEndsWhatStillRuns() throws Exception {
    DebArchive archive = DebArchive.open(deb);
    long[] member = dataMember(deb, archive.dataMember());
    ImageDpkgDecoder decoder = decoder();
    InputStream in = decoder.open(deb, archive.dataMember(), member[0], member[1]);
    assertEquals(512, in.readNBytes(512).length);
    decoder.close();
    assertNoChildLeft();
    in.close();
  }

  /** The offset and length of {@code name} in the ar archive {@code deb}. */
  private static long[] dataMember(Path deb, String name) throws IOException {
    byte[] bytes = Files.readAllBytes(deb);
    int pos = 8;
    while (pos < bytes.length) {
      String member = new String(bytes, pos, 16, StandardCharsets.US_ASCII).strip();
      long length =
          Long.parseLong(new String(bytes, pos + 48, 10, StandardCharsets.US_ASCII).strip());
      if (member.equals(name) || member.equals(name + "/")) {
        return new long[] {pos + 60, length};
      }
      pos += 60 + (int) length + (int) (length & 1);
    }
    throw new IOException(name + " not in " + deb);
  }

  /** The sandbox and its decoder are gone: rig leaves no process behind. */
  private static void assertNoChildLeft() throws InterruptedException {
    assertEquals(List.of(), HostDpkgRoot.childrenLeft(), "processes left running");
  }
}
