package dev.rig.apt.deb;

import dev.rig.testkit.Exec;
import dev.rig.testkit.Tools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Real .debs for the unpacker tests: a well-formed one built by dpkg-deb (symlink, hardlink,
 * conffile, maintainer script, a file owned by {@code daemon}, docs/man/locale files to exclude),
 * and hostile ones dpkg-deb would never build, written with commons-compress.
 */
public final class TestDebs {
  private TestDebs() {}

  /** Builds {@code goodpkg 1.0} with dpkg-deb, compressed as {@code compression} (xz/zstd/gzip). */
  public static Path good(Path dir, String name, String compression) throws IOException {
    Tools.require("dpkg-deb", "dpkg");
    Path root = Files.createDirectories(dir.resolve("stage-" + name));
    Files.createDirectories(root.resolve("DEBIAN"));
    Files.writeString(
        root.resolve("DEBIAN/control"),
        "Package: "
            + name
            + "\nVersion: 1.0\nArchitecture: amd64\nMulti-Arch: same\n"
            + "Maintainer: rig tests <tests@rig.invalid>\nDescription: test package\n"
            + " with a long description\n .\n second paragraph\n");
    Files.writeString(root.resolve("DEBIAN/conffiles"), "/etc/" + name + ".conf\n");
    Path postinst = root.resolve("DEBIAN/postinst");
    Files.writeString(postinst, "#!/bin/sh\necho should never run\nexit 1\n");
    Files.setPosixFilePermissions(postinst, PosixFilePermissions.fromString("rwxr-xr-x"));
    write(root, "etc/" + name + ".conf", "setting=1\n", "rw-r--r--");
    write(root, "usr/bin/tool", "#!/bin/sh\necho tool\n", "rwxr-xr-x");
    Files.createLink(root.resolve("usr/bin/tool-hard"), root.resolve("usr/bin/tool"));
    Files.createSymbolicLink(root.resolve("usr/bin/tool-link"), Path.of("tool"));
    write(root, "usr/share/doc/" + name + "/README", "readme\n", "rw-r--r--");
    write(root, "usr/share/doc/" + name + "/copyright", "licence\n", "rw-r--r--");
    write(root, "usr/share/man/man1/tool.1", ".TH tool\n", "rw-r--r--");
    write(root, "usr/share/locale/de/LC_MESSAGES/tool.mo", "mo\n", "rw-r--r--");
    write(root, "usr/share/locale/locale.alias", "alias\n", "rw-r--r--");
    Path owned = write(root, "var/lib/" + name + "/state", "state\n", "rw-r-----");
    Files.setPosixFilePermissions(
        Files.createDirectories(root.resolve("usr/lib/" + name)),
        PosixFilePermissions.fromString("rwxr-x---"));
    write(root, "usr/lib/" + name + "/helper", "helper\n", "rwxr-xr-x");
    // Owner names go into the tar header; the image's passwd decides the ids (see IdMap).
    Exec.run(List.of("chown", "-R", "root:root", root.toString())).ok();
    UserPrincipalLookupService users = root.getFileSystem().getUserPrincipalLookupService();
    PosixFileAttributeView view = Files.getFileAttributeView(owned, PosixFileAttributeView.class);
    view.setOwner(users.lookupPrincipalByName("daemon"));
    GroupPrincipal group = users.lookupPrincipalByGroupName("daemon");
    view.setGroup(group);
    Exec.run(List.of("chmod", "4755", root.resolve("usr/lib/" + name + "/helper").toString())).ok();
    // dpkg-deb does not write md5sums (debhelper does); make them as debhelper would.
    Exec.run(
            List.of(
                "sh",
                "-c",
                "find usr var -type f -print0 | LC_ALL=C sort -z | xargs -0 md5sum"
                    + " > DEBIAN/md5sums"),
            Map.of("LC_ALL", "C"),
            root,
            Duration.ofMinutes(1))
        .ok();
    Path deb = dir.resolve(name + "_1.0_amd64.deb");
    Exec.run(
            List.of("dpkg-deb", "-Z" + compression, "--build", root.toString(), deb.toString()),
            Map.of("LC_ALL", "C"),
            dir,
            Duration.ofMinutes(1))
        .ok();
    return deb;
  }

  private static Path write(Path root, String rel, String text, String perms) throws IOException {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    return p;
  }

  /** One tar entry of a hand-made data archive. */
  public record Entry(String name, byte type, String linkOrText) {
    static Entry file(String name, String text) {
      return new Entry(name, TarArchiveEntry.LF_NORMAL, text);
    }

    static Entry dir(String name) {
      return new Entry(name, TarArchiveEntry.LF_DIR, null);
    }

    static Entry symlink(String name, String target) {
      return new Entry(name, TarArchiveEntry.LF_SYMLINK, target);
    }

    static Entry hardlink(String name, String target) {
      return new Entry(name, TarArchiveEntry.LF_LINK, target);
    }

    static Entry charDevice(String name) {
      return new Entry(name, TarArchiveEntry.LF_CHR, null);
    }

    static Entry blockDevice(String name) {
      return new Entry(name, TarArchiveEntry.LF_BLK, null);
    }

    static Entry fifo(String name) {
      return new Entry(name, TarArchiveEntry.LF_FIFO, null);
    }
  }

  /** A .deb with arbitrary data entries, as a hostile mirror could serve. */
  public static Path handMade(Path dir, String name, List<Entry> entries) throws IOException {
    byte[] control =
        tarGz(
            List.of(
                Entry.dir("./"),
                Entry.file(
                    "./control",
                    "Package: "
                        + name
                        + "\nVersion: 6.6.6\nArchitecture: amd64\n"
                        + "Maintainer: x <x@rig.invalid>\nDescription: hostile\n")));
    byte[] data = tarGz(entries);
    Path deb = dir.resolve(name + ".deb");
    try (OutputStream file = Files.newOutputStream(deb);
        ArArchiveOutputStream ar = new ArArchiveOutputStream(file)) {
      member(ar, "debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
      member(ar, "control.tar.gz", control);
      member(ar, "data.tar.gz", data);
    }
    return deb;
  }

  private static void member(ArArchiveOutputStream ar, String name, byte[] bytes)
      throws IOException {
    ar.putArchiveEntry(new ArArchiveEntry(name, bytes.length));
    ar.write(bytes);
    ar.closeArchiveEntry();
  }

  private static byte[] tarGz(List<Entry> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Entry e : entries) {
        TarArchiveEntry t = new TarArchiveEntry(e.name(), e.type(), true);
        byte[] body = new byte[0];
        if (e.type() == TarArchiveEntry.LF_NORMAL) {
          body = e.linkOrText().getBytes(StandardCharsets.UTF_8);
          t.setSize(body.length);
          t.setMode(0100644);
        } else if (e.type() == TarArchiveEntry.LF_DIR) {
          t.setMode(040755);
        } else if (e.linkOrText() == null) {
          // A device or a fifo: no body, no link.
          t.setMode(0644);
          t.setDevMajor(1);
          t.setDevMinor(3);
        } else {
          t.setLinkName(e.linkOrText());
        }
        t.setUserName("root");
        t.setGroupName("root");
        tar.putArchiveEntry(t);
        tar.write(body);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }
}
