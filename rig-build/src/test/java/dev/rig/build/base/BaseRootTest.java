package dev.rig.build.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.oci.compress.Compression;
import dev.rig.oci.digest.Digest;
import dev.rig.oci.image.BaseImage;
import dev.rig.oci.image.BlobSource;
import dev.rig.oci.image.Descriptor;
import dev.rig.oci.image.ImageConfig;
import dev.rig.oci.image.ImageLayer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A base's layers applied in order as an engine applies them: later files replace earlier ones, a
 * whiteout deletes a file or a whole directory of a lower layer, an opaque marker empties a
 * directory; owners and modes are kept; the result is cached by the layers' diffIDs.
 */
class BaseRootTest {
  @TempDir Path cache;

  /** One tar entry: a file with text, a directory ("/" at the end) or a symlink ("-> target"). */
  private static byte[] tar(String... entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
      for (String spec : entries) {
        String[] parts = spec.split("=", 2);
        String name = parts[0];
        TarArchiveEntry entry;
        if (name.endsWith("/")) {
          entry = new TarArchiveEntry(name);
          entry.setMode(040755);
        } else if (parts.length > 1 && parts[1].startsWith("-> ")) {
          entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
          entry.setLinkName(parts[1].substring(3));
        } else {
          entry = new TarArchiveEntry(name);
          entry.setMode(0100640);
          entry.setUserId(1000);
          entry.setGroupId(100);
          entry.setSize(parts.length > 1 ? parts[1].length() : 0);
        }
        out.putArchiveEntry(entry);
        if (!entry.isSymbolicLink() && !entry.isDirectory() && parts.length > 1) {
          out.write(parts[1].getBytes(StandardCharsets.UTF_8));
        }
        out.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static BaseImage image(byte[]... tars) throws IOException {
    List<ImageLayer> layers = new ArrayList<>();
    List<Digest> diffIds = new ArrayList<>();
    for (byte[] tar : tars) {
      ByteArrayOutputStream blob = new ByteArrayOutputStream();
      try (OutputStream gzip = new GZIPOutputStream(blob)) {
        gzip.write(tar);
      }
      byte[] compressed = blob.toByteArray();
      Digest diffId = Digest.of(tar);
      diffIds.add(diffId);
      layers.add(
          new ImageLayer(
              Descriptor.of(
                  Compression.GZIP.ociMediaType(), Digest.of(compressed), compressed.length),
              diffId,
              BlobSource.ofBytes(compressed)));
    }
    return new BaseImage(ImageConfig.builder(Instant.EPOCH).diffIds(diffIds).build(), layers);
  }

  @Test
  void layersApplyInOrderWithWhiteoutsAndOpaqueDirectories() throws IOException {
    BaseImage base =
        image(
            tar(
                "etc/",
                "etc/keep=kept",
                "etc/gone=to be deleted",
                "etc/replaced=old",
                "opt/",
                "opt/app/",
                "opt/app/a=a",
                "opt/app/b=b",
                "var/",
                "var/tree/",
                "var/tree/x=x",
                "bin=-> usr/bin"),
            tar(
                "etc/.wh.gone",
                "etc/replaced=new",
                "opt/app/.wh..wh..opq",
                "opt/app/c=c",
                "var/.wh.tree"));
    Path root = BaseRoot.unpacked(cache, base);
    assertEquals("kept", Files.readString(root.resolve("etc/keep")));
    assertEquals("new", Files.readString(root.resolve("etc/replaced")));
    assertFalse(Files.exists(root.resolve("etc/gone")));
    assertFalse(Files.exists(root.resolve("opt/app/a")));
    assertFalse(Files.exists(root.resolve("opt/app/b")));
    assertEquals("c", Files.readString(root.resolve("opt/app/c")));
    assertFalse(Files.exists(root.resolve("var/tree"), LinkOption.NOFOLLOW_LINKS));
    assertTrue(Files.isDirectory(root.resolve("var")));
    assertEquals("usr/bin", Files.readSymbolicLink(root.resolve("bin")).toString());
    assertEquals(1000, Files.getAttribute(root.resolve("etc/keep"), "unix:uid"));
    assertEquals(0640, (Integer) Files.getAttribute(root.resolve("etc/keep"), "unix:mode") & 07777);
    try (var stream = Files.list(root.getParent())) {
      assertEquals(1, stream.count(), "only the committed root is left in " + root.getParent());
    }
    // The same layers again: the cached root, not a second unpack.
    Files.writeString(root.resolve("etc/marker"), "cached");
    assertEquals(root, BaseRoot.unpacked(cache, base));
    assertTrue(Files.exists(root.resolve("etc/marker")));
  }

  @Test
  void anEntryThatLeavesTheRootIsRefused() throws IOException {
    BaseImage base = image(tar("etc/", "../escape=x"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BaseRoot.unpacked(cache, base));
    assertTrue(e.getMessage().contains("leaves the root"), e.getMessage());
    assertFalse(Files.exists(cache.resolve("escape")));
  }

  @Test
  void noDpkgDatabaseSaysWhatToDo() throws IOException {
    Path root = BaseRoot.unpacked(cache, image(tar("etc/", "etc/os-release=ID=alpine\n")));
    BaseException e =
        assertThrows(BaseException.class, () -> BaseSystem.read("app", "example/base:1", root));
    assertTrue(e.getMessage().contains("image 'app': its base example/base:1"), e.getMessage());
    assertTrue(e.getMessage().contains("use a Debian or Ubuntu based image"), e.getMessage());
  }
}
