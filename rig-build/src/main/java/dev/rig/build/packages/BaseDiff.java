package dev.rig.build.packages;

import dev.rig.oci.layer.Content;
import dev.rig.oci.layer.LayerEntry;
import dev.rig.oci.layer.LayerInput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The layer of what installing packages changed in a base image's root: new and modified files,
 * directories and links (with the directories above them, so no layer resets their owner or mode),
 * and a whiteout for every path of the base that a maintainer script removed. Everything the base
 * had and the install left alone stays out, so the base's own layers carry it unchanged.
 */
final class BaseDiff {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private static final String ATTRS = "unix:mode,uid,gid,ino,dev,size,nlink";

  private BaseDiff() {}

  /**
   * @param base the base's unpacked root
   * @param top the root after the install (made from {@code base}: unchanged files are links to the
   *     base's)
   * @param extraTop entries rig adds on top (apt sources of the spec's repositories)
   */
  static List<LayerInput> layers(Path base, Path top, List<LayerEntry> extraTop, String createdBy)
      throws IOException {
    Map<String, LayerEntry> entries = new TreeMap<>();
    Map<Object, String> firstLink = new HashMap<>();
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(top)) {
      paths = walk.filter(p -> !p.equals(top)).sorted().toList();
    }
    for (Path host : paths) {
      String relative = top.relativize(host).toString();
      String path = "/" + relative;
      Path before = base.resolve(relative);
      Map<String, Object> attrs = Files.readAttributes(host, ATTRS, NOFOLLOW);
      int mode = (Integer) attrs.get("mode") & 07777;
      int uid = (Integer) attrs.get("uid");
      int gid = (Integer) attrs.get("gid");
      if (Files.isDirectory(host, NOFOLLOW)) {
        if (!sameOwnerAndMode(before, attrs, true)) {
          addParents(entries, top, path);
          entries.put(path, LayerEntry.directory(path, mode, uid, gid));
        }
      } else if (Files.isSymbolicLink(host)) {
        String target = Files.readSymbolicLink(host).toString();
        boolean same =
            Files.isSymbolicLink(before)
                && Files.readSymbolicLink(before).toString().equals(target)
                && sameOwnerAndMode(before, attrs, false);
        if (!same) {
          addParents(entries, top, path);
          entries.put(path, LayerEntry.symlink(path, target, uid, gid));
        }
      } else if (Files.isRegularFile(host, NOFOLLOW) && !unchangedFile(host, before, attrs)) {
        addParents(entries, top, path);
        Object inode = List.of(attrs.get("dev"), attrs.get("ino"));
        String first =
            ((Integer) attrs.get("nlink")) > 1 ? firstLink.putIfAbsent(inode, path) : null;
        entries.put(
            path,
            first != null
                ? LayerEntry.hardlink(path, first)
                : LayerEntry.file(path, Content.ofSealedFile(host), mode, uid, gid));
      }
    }
    for (String removed : removed(base, top)) {
      int slash = removed.lastIndexOf('/');
      String parent = removed.substring(0, slash);
      if (!parent.isEmpty()) {
        addParents(entries, top, removed);
      }
      String whiteout = parent + "/.wh." + removed.substring(slash + 1);
      entries.put(whiteout, LayerEntry.file(whiteout, Content.ofBytes(new byte[0]), 0, 0, 0));
    }
    for (LayerEntry entry : extraTop) {
      addParents(entries, top, entry.path());
      entries.put(entry.path(), entry);
    }
    return List.of(new LayerInput(List.copyOf(entries.values()), createdBy));
  }

  /**
   * Paths of the base that are gone after the install, outermost only (a removed directory's
   * whiteout covers what it held); what rig's own cleanup removes is not counted.
   */
  private static List<String> removed(Path base, Path top) throws IOException {
    List<String> removed = new ArrayList<>();
    Files.walkFileTree(
        base,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes basic) {
            if (dir.equals(base)) {
              return FileVisitResult.CONTINUE;
            }
            return check(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes basic) {
            check(file);
            return FileVisitResult.CONTINUE;
          }

          private boolean check(Path path) {
            String relative = base.relativize(path).toString();
            if (Files.exists(top.resolve(relative), NOFOLLOW)) {
              return false;
            }
            if (!Normalizer.removes(relative)) {
              removed.add("/" + relative);
            }
            return true;
          }
        });
    return removed;
  }

  private static boolean sameOwnerAndMode(Path before, Map<String, Object> attrs, boolean dir)
      throws IOException {
    if (!Files.exists(before, NOFOLLOW) || Files.isDirectory(before, NOFOLLOW) != dir) {
      return false;
    }
    Map<String, Object> was = Files.readAttributes(before, "unix:mode,uid,gid", NOFOLLOW);
    return Objects.equals(was.get("uid"), attrs.get("uid"))
        && Objects.equals(was.get("gid"), attrs.get("gid"))
        && (!dir || Objects.equals(was.get("mode"), attrs.get("mode")));
  }

  /** The base's own file: the same inode (linked), or the same bytes, owner and mode. */
  private static boolean unchangedFile(Path host, Path before, Map<String, Object> attrs)
      throws IOException {
    if (!Files.isRegularFile(before, NOFOLLOW)) {
      return false;
    }
    Map<String, Object> was = Files.readAttributes(before, ATTRS, NOFOLLOW);
    if (was.get("ino").equals(attrs.get("ino")) && was.get("dev").equals(attrs.get("dev"))) {
      return true;
    }
    return was.get("mode").equals(attrs.get("mode"))
        && was.get("uid").equals(attrs.get("uid"))
        && was.get("gid").equals(attrs.get("gid"))
        && was.get("size").equals(attrs.get("size"))
        && sameBytes(host, before);
  }

  private static boolean sameBytes(Path a, Path b) throws IOException {
    try (InputStream x = Files.newInputStream(a, NOFOLLOW);
        InputStream y = Files.newInputStream(b, NOFOLLOW)) {
      byte[] bx = new byte[65536];
      byte[] by = new byte[65536];
      while (true) {
        int nx = x.readNBytes(bx, 0, bx.length);
        int ny = y.readNBytes(by, 0, by.length);
        if (nx != ny || !Arrays.equals(bx, 0, nx, by, 0, ny)) {
          return false;
        }
        if (nx < bx.length) {
          return true;
        }
      }
    }
  }

  /** The directories above {@code path}, with their real owner and mode. */
  private static void addParents(Map<String, LayerEntry> entries, Path top, String path)
      throws IOException {
    int slash = path.lastIndexOf('/');
    if (slash <= 0) {
      return;
    }
    String parent = path.substring(0, slash);
    if (entries.containsKey(parent)) {
      return;
    }
    addParents(entries, top, parent);
    Path host = top.resolve(parent.substring(1));
    if (!Files.isDirectory(host, NOFOLLOW)) {
      return;
    }
    Map<String, Object> attrs = Files.readAttributes(host, "unix:mode,uid,gid", NOFOLLOW);
    entries.put(
        parent,
        LayerEntry.directory(
            parent,
            (Integer) attrs.get("mode") & 07777,
            (Integer) attrs.get("uid"),
            (Integer) attrs.get("gid")));
  }
}
