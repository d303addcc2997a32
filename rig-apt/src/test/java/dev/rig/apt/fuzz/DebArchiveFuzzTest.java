package dev.rig.apt.fuzz;

import dev.rig.apt.control.ControlFileException;
import dev.rig.apt.deb.DebArchive;
import dev.rig.testkit.BadInput;
import dev.rig.testkit.Mutations;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Damaged .deb files (ar container, control and data tar members): opening and streaming either
 * work or fail with an error naming the file, never with a stray exception.
 */
class DebArchiveFuzzTest {
  /** Uncompressed members, so that damage reaches the ar and tar readers, not only a CRC check. */
  private static final byte[] PLAIN = deb(false);

  private static final byte[] GZIPPED = deb(true);

  @Property
  void debFromRandomBytes(@ForAll @Size(max = 2048) byte[] bytes) throws IOException {
    check(bytes);
  }

  @Property
  void debWithPlainTarsDamaged(@ForAll Random random) throws IOException {
    check(Mutations.mutate(PLAIN, "/\n 0\u0000!<>", random));
  }

  @Property
  void debWithGzippedTarsDamaged(@ForAll Random random) throws IOException {
    check(Mutations.mutate(GZIPPED, "/\n 0\u0000", random));
  }

  private static void check(byte[] bytes) throws IOException {
    Path file = Files.createTempFile("rig-fuzz-", ".deb");
    try {
      Files.write(file, bytes);
      String name = file.toString();
      BadInput.check(
          "deb " + BadInput.describe(bytes),
          Optional.of(name),
          () -> {
            DebArchive deb = DebArchive.open(file);
            deb.conffiles();
            deb.forEachDataEntry((entry, content) -> content.readAllBytes());
          },
          IOException.class,
          ControlFileException.class);
    } finally {
      Files.delete(file);
    }
  }

  private static byte[] deb(boolean gzip) {
    try {
      byte[] control =
          tar(
              "./control",
              "Package: p\nVersion: 1.0-1\nArchitecture: amd64\nDescription: d\n x\n",
              "./conffiles",
              "/etc/p.conf\n");
      byte[] data =
          tar(
              "./etc/p.conf",
              "a=1\n",
              "./usr/share/doc/p/a-rather-long-name-" + "x".repeat(120),
              "y");
      String suffix = gzip ? ".tar.gz" : ".tar";
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ArArchiveOutputStream ar = new ArArchiveOutputStream(out)) {
        member(ar, "debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
        member(ar, "control" + suffix, gzip ? gzip(control) : control);
        member(ar, "data" + suffix, gzip ? gzip(data) : data);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void member(ArArchiveOutputStream ar, String name, byte[] bytes)
      throws IOException {
    ar.putArchiveEntry(new ArArchiveEntry(name, bytes.length));
    ar.write(bytes);
    ar.closeArchiveEntry();
  }

  /** A tar of name/text pairs; long names use PAX headers, as dpkg-deb writes them. */
  private static byte[] tar(String... namesAndTexts) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (int i = 0; i < namesAndTexts.length; i += 2) {
        byte[] body = namesAndTexts[i + 1].getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(namesAndTexts[i]);
        e.setSize(body.length);
        e.setMode(0100644);
        tar.putArchiveEntry(e);
        tar.write(body);
        tar.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(bytes);
    }
    return out.toByteArray();
  }
}
