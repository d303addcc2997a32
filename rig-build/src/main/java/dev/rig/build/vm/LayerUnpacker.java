package dev.rig.build.vm;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import dev.rig.build.rootfs.ImageRoot;
import dev.rig.oci.compress.Compression;
import dev.rig.oci.image.ImageLayer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Applies an image's layers, in order, to an empty directory the way a container engine does:
 * owners, modes and times from the tar headers, hard links, and whiteouts ({@code .wh.NAME} removes
 * NAME, {@code .wh..wh..opq} empties a directory). Paths are resolved inside the root ({@link
 * ImageRoot}), so no entry reaches outside it. Device nodes are left out (the VM's /dev is a
 * devtmpfs).
 */
final class LayerUnpacker {
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";

  private LayerUnpacker() {}

  /** Unpacks {@code layers} into {@code dir}, which must be empty. */
  static void unpack(List<ImageLayer> layers, Path dir) throws IOException {
    ImageRoot root = ImageRoot.of(dir);
    for (ImageLayer layer : layers) {
      List<TimedDirectory> directories = new ArrayList<>();
      try (InputStream blob = new BufferedInputStream(layer.source().open(), 1 << 20);
          TarArchiveInputStream tar = new TarArchiveInputStream(decompress(layer, blob))) {
        for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
          apply(root, entry, tar, directories);
        }
      } catch (IOException e) {
        throw new IOException(
            "cannot unpack layer " + layer.blob().digest() + " for the VM disk: " + e.getMessage(),
            e);
      }
      // A directory's time is set last: writing its entries changed it.
      for (int i = directories.size() - 1; i >= 0; i--) {
        TimedDirectory d = directories.get(i);
        setTime(d.path(), d.time());
      }
    }
  }

  private record TimedDirectory(Path path, FileTime time) {}

  private static InputStream decompress(ImageLayer layer, InputStream blob) throws IOException {
    Compression compression = Compression.ofMediaType(layer.blob().mediaType());
    return switch (compression) {
      case GZIP -> new GZIPInputStream(blob, 1 << 16);
      case ZSTD -> new ZstdInputStreamNoFinalizer(blob);
      case NONE -> blob;
    };
  }

  private static void apply(
      ImageRoot root, TarArchiveEntry entry, InputStream content, List<TimedDirectory> dirs)
      throws IOException {
    String name = entry.getName();
    while (name.startsWith("./")) {
      name = name.substring(2);
    }
    if (name.endsWith("/")) {
      name = name.substring(0, name.length() - 1);
    }
    if (name.isEmpty() || name.equals(".")) {
      return;
    }
    String base = name.substring(name.lastIndexOf('/') + 1);
    String parent = name.contains("/") ? name.substring(0, name.lastIndexOf('/')) : "";
    if (base.equals(OPAQUE)) {
      for (String child : root.list(parent)) {
        root.delete(child);
      }
      return;
    }
    if (base.startsWith(WHITEOUT)) {
      root.delete(parent + "/" + base.substring(WHITEOUT.length()));
      return;
    }
    Path target = root.resolveLink(name);
    Files.createDirectories(target.getParent());
    FileTime time = FileTime.from(entry.getModTime().toInstant());
    if (entry.isDirectory()) {
      if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        root.delete(name);
        Files.createDirectory(target);
      }
      own(target, entry);
      dirs.add(new TimedDirectory(target, time));
      return;
    }
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      root.delete(name);
    }
    if (entry.isSymbolicLink()) {
      Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
    } else if (entry.isLink()) {
      Files.createLink(target, root.resolve(entry.getLinkName()));
      return;
    } else if (entry.isFile()) {
      Path temp = target.resolveSibling(".rig-unpack-" + base);
      Files.copy(content, temp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } else {
      return;
    }
    own(target, entry);
    setTime(target, time);
  }

  private static void own(Path target, TarArchiveEntry entry) throws IOException {
    Files.setAttribute(target, "unix:uid", (int) entry.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(target, "unix:gid", (int) entry.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
    if (!entry.isSymbolicLink()) {
      // After chown, which clears set-id bits.
      Files.setAttribute(target, "unix:mode", entry.getMode() & 07777, LinkOption.NOFOLLOW_LINKS);
    }
  }

  private static void setTime(Path target, FileTime time) throws IOException {
    Files.getFileAttributeView(target, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
        .setTimes(time, time, null);
  }
}
