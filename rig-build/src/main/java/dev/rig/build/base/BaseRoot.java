package dev.rig.build.base;

import dev.rig.build.rootfs.ImageRoot;
import dev.rig.oci.compress.Compression;
import dev.rig.oci.digest.Digest;
import dev.rig.oci.image.BaseImage;
import dev.rig.oci.image.ImageLayer;
import dev.rig.oci.io.AtomicFiles;
import dev.rig.oci.io.TempNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A base image's filesystem as a directory in the cache: its layers applied in order, as a
 * container engine would (whiteouts delete what lower layers had, an opaque marker empties a
 * directory), keyed by the layers' diffIDs so that every image on the same base shares one copy.
 * Packages are installed on top of it, and what they change is compared against it.
 *
 * <p>Device nodes and fifos are left out: the engine provides /dev, and dpkg needs none of them.
 * Every path is resolved inside the root, so a layer's symlink cannot send a later entry out of it.
 */
public final class BaseRoot {
  /** Bump when the way a base is unpacked changes, so old copies are not reused. */
  private static final String FORMAT = "rig-base-root/1";

  /** The cache directory of unpacked bases, one per key. */
  public static final String DIR = "base-roots";

  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private BaseRoot() {}

  /** The identity of a base's filesystem: a hash of its layers' diffIDs, in order. */
  public static String key(BaseImage base) {
    StringBuilder text = new StringBuilder(FORMAT).append('\n');
    base.layers().forEach(layer -> text.append(layer.diffId()).append('\n'));
    return Digest.of(text.toString().getBytes(StandardCharsets.UTF_8)).hex();
  }

  /**
   * The unpacked root of {@code base} under {@code cacheDir}: from the cache, or unpacked now
   * (layers fetched from their registry as they are read) into a temporary directory that is then
   * renamed into place.
   */
  public static Path unpacked(Path cacheDir, BaseImage base) throws IOException {
    Path dir = Files.createDirectories(cacheDir.toAbsolutePath().resolve(DIR));
    Path target = dir.resolve(key(base));
    if (Files.isDirectory(target, NOFOLLOW)) {
      return target;
    }
    Path work = dir.resolve(TempNames.prefix() + UUID.randomUUID());
    try {
      Files.createDirectories(work);
      Map<Path, TarArchiveEntry> directories = new LinkedHashMap<>();
      for (ImageLayer layer : base.layers()) {
        apply(work, layer, directories);
      }
      // Modes last: a directory without write permission for its owner still takes its entries.
      for (Map.Entry<Path, TarArchiveEntry> d : directories.entrySet()) {
        if (Files.isDirectory(d.getKey(), NOFOLLOW)) {
          owner(d.getKey(), d.getValue());
          Files.setAttribute(d.getKey(), "unix:mode", d.getValue().getMode() & 07777, NOFOLLOW);
        }
      }
      AtomicFiles.commitDirectory(work, target);
    } finally {
      ImageRoot.deleteTree(work);
    }
    return target;
  }

  private static void apply(Path root, ImageLayer layer, Map<Path, TarArchiveEntry> directories)
      throws IOException {
    Compression compression = Compression.ofMediaType(layer.blob().mediaType());
    ImageRoot image = ImageRoot.of(root);
    try (InputStream blob = layer.source().open();
        TarArchiveInputStream tar = new TarArchiveInputStream(compression.decompress(blob))) {
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        String path = imagePath(entry.getName(), layer);
        if (path.equals("/")) {
          continue;
        }
        int slash = path.lastIndexOf('/');
        String parent = slash == 0 ? "/" : path.substring(0, slash);
        String name = path.substring(slash + 1);
        if (name.equals(OPAQUE)) {
          for (String child : image.list(parent)) {
            image.delete(child);
          }
          continue;
        }
        if (name.startsWith(WHITEOUT)) {
          image.delete(
              (parent.equals("/") ? "" : parent) + "/" + name.substring(WHITEOUT.length()));
          continue;
        }
        Path parentDir = image.resolve(parent);
        Files.createDirectories(parentDir);
        Path host = parentDir.resolve(name);
        if (entry.isDirectory()) {
          if (!Files.isDirectory(host, NOFOLLOW)) {
            ImageRoot.deleteTree(host);
            Files.createDirectory(host);
          }
          directories.put(host, entry);
          continue;
        }
        ImageRoot.deleteTree(host);
        if (entry.isSymbolicLink()) {
          Files.createSymbolicLink(host, Path.of(entry.getLinkName()));
          owner(host, entry);
        } else if (entry.isLink()) {
          Path target = image.resolve(imagePath(entry.getLinkName(), layer));
          if (Files.isRegularFile(target, NOFOLLOW)) {
            Files.createLink(host, target);
          }
        } else if (entry.isFile()) {
          Files.copy(tar, host, StandardCopyOption.REPLACE_EXISTING);
          owner(host, entry);
          Files.setAttribute(host, "unix:mode", entry.getMode() & 07777, NOFOLLOW);
          Files.setLastModifiedTime(host, FileTime.from(entry.getLastModifiedDate().toInstant()));
        }
        // Devices and fifos: left out (see the class comment).
      }
    }
  }

  /**
   * A tar entry's name as an absolute image path; a name that climbs out of the root is refused.
   */
  private static String imagePath(String name, ImageLayer layer) {
    String path = "/" + name;
    List<String> parts =
        List.of(path.split("/")).stream().filter(p -> !p.isEmpty() && !p.equals(".")).toList();
    if (parts.contains("..")) {
      throw new IllegalArgumentException(
          "base image layer "
              + layer.blob().digest()
              + " holds the entry '"
              + name
              + "', which leaves the root; use a base image made by a container tool");
    }
    return "/" + String.join("/", parts);
  }

  private static void owner(Path path, TarArchiveEntry entry) throws IOException {
    Files.setAttribute(path, "unix:uid", (int) entry.getLongUserId(), NOFOLLOW);
    Files.setAttribute(path, "unix:gid", (int) entry.getLongGroupId(), NOFOLLOW);
  }
}
