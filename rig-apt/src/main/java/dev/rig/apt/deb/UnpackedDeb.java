package dev.rig.apt.deb;

import dev.rig.oci.layer.Content;
import dev.rig.oci.layer.LayerEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A package unpacked into the content-addressed cache: the host directory holding its files and the
 * checked entry list. Turning it into layer entries is a pure function of the image's ids and the
 * exclude choices, so the same unpack serves every image.
 *
 * @param sha256 the .deb's SHA-256, which names the cache directory
 * @param tree the directory whose contents are the package's files ({@code tree/usr/bin/...})
 */
public record UnpackedDeb(
    String sha256, DebArchive archive, Path tree, List<UnpackedEntry> entries) {
  public UnpackedDeb {
    entries = List.copyOf(entries);
  }

  /** The host file holding an entry's bytes. */
  public Path hostPath(String imagePath) {
    return tree.resolve(imagePath.substring(1));
  }

  /** Image paths the package installs, in archive order, without excluded ones. */
  public List<String> installedPaths(ExcludeOptions excludes) {
    return entries.stream()
        .filter(e -> !excludes.excludes(e.path(), e.type() == DataEntry.Type.DIRECTORY))
        .map(UnpackedEntry::path)
        .toList();
  }

  /**
   * Layer entries for this package: owners mapped through the image's {@code ids}, excluded paths
   * left out. A hardlink whose target is excluded becomes a copy, so the layer never holds a link
   * to a missing file.
   */
  public List<LayerEntry> layerEntries(IdMap ids, ExcludeOptions excludes) {
    String pkg = archive.packageName();
    Map<String, UnpackedEntry> byPath = new HashMap<>();
    List<LayerEntry> out = new ArrayList<>();
    for (UnpackedEntry e : entries) {
      byPath.put(e.path(), e);
      boolean dir = e.type() == DataEntry.Type.DIRECTORY;
      if (excludes.excludes(e.path(), dir)) {
        continue;
      }
      String where = pkg + ": " + e.path();
      switch (e.type()) {
        case FILE ->
            out.add(
                LayerEntry.file(
                    e.path(),
                    Content.ofFile(hostPath(e.path())),
                    e.mode(),
                    ids.uid(e.uname(), e.uid(), where),
                    ids.gid(e.gname(), e.gid(), where)));
        case DIRECTORY ->
            out.add(
                LayerEntry.directory(
                    e.path(),
                    e.mode(),
                    ids.uid(e.uname(), e.uid(), where),
                    ids.gid(e.gname(), e.gid(), where)));
        case SYMLINK ->
            out.add(
                LayerEntry.symlink(
                    e.path(),
                    e.linkTarget(),
                    ids.uid(e.uname(), e.uid(), where),
                    ids.gid(e.gname(), e.gid(), where)));
        case HARDLINK -> {
          UnpackedEntry target = byPath.get(e.linkTarget());
          if (excludes.excludes(target.path(), false)) {
            out.add(
                LayerEntry.file(
                    e.path(),
                    Content.ofFile(hostPath(target.path())),
                    target.mode(),
                    ids.uid(target.uname(), target.uid(), where),
                    ids.gid(target.gname(), target.gid(), where)));
          } else {
            out.add(LayerEntry.hardlink(e.path(), e.linkTarget()));
          }
        }
        case OTHER -> throw new IllegalStateException(where + ": unsupported entry type");
      }
    }
    return List.copyOf(out);
  }
}
