package dev.rig.build.packages;

import dev.rig.build.packages.InstalledSystem.InstalledPackage;
import dev.rig.build.rootfs.ImageRoot;
import dev.rig.oci.layer.Content;
import dev.rig.oci.layer.LayerEntry;
import dev.rig.oci.layer.LayerInput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Splits an installed root into layers: one per source package (largest first) while the budget
 * lasts, the rest together, and on top one layer with what maintainer scripts made or changed and
 * the dpkg database. A package's layer holds only that package's files as shipped, so adding or
 * removing another package leaves it byte for byte the same.
 */
public final class PackageLayers {
  private static final HexFormat HEX = HexFormat.of();

  private PackageLayers() {}

  /**
   * @param budget layers available, at least 1; the last is the configuration layer when there are
   *     two or more
   * @param extraTop entries added to the configuration layer (apt sources, keyrings)
   */
  public static List<LayerInput> split(
      InstalledSystem system, int budget, List<LayerEntry> extraTop) throws IOException {
    Contents c = contents(system, extraTop);
    return arrange(c.groups(), c.contents(), c.bytes(), budget);
  }

  /**
   * The layers {@link #split} gives {@code sources} when each gets one of its own, read from a root
   * that may hold fewer packages than the image (a finished install stage), largest first. Read
   * from a root whose files of those sources are the image's, each is the same input as the image's
   * layer.
   */
  public static List<LayerInput> ownLayers(InstalledSystem system, Set<String> sources)
      throws IOException {
    Contents c = contents(system, List.of());
    List<Integer> chosen = new ArrayList<>();
    for (int g = 0; g < c.groups().size(); g++) {
      if (sources.contains(c.groups().get(g).source)) {
        chosen.add(g);
      }
    }
    chosen.sort(
        Comparator.<Integer>comparingLong(g -> -c.bytes()[g])
            .thenComparing(g -> c.groups().get(g).source));
    List<LayerInput> layers = new ArrayList<>();
    for (int g : chosen) {
      layers.add(
          new LayerInput(
              List.copyOf(c.contents().get(g).values()),
              "packages: " + c.groups().get(g).describe()));
    }
    return layers;
  }

  /**
   * The sources {@link #split} will likely give a layer of their own, from an estimate of each
   * source's size (Installed-Size) before anything is installed: the same ranking, largest first.
   */
  public static List<String> likelyOwnSources(Map<String, Long> estimatedBytes, int budget) {
    if (budget < 2) {
      return List.of();
    }
    List<String> order = new ArrayList<>(estimatedBytes.keySet());
    order.sort(
        Comparator.<String>comparingLong(source -> -estimatedBytes.get(source))
            .thenComparing(Comparator.naturalOrder()));
    int own = order.size() <= budget - 1 ? order.size() : budget - 2;
    return List.copyOf(order.subList(0, own));
  }

  /** Each group's files, the configuration's last, and each group's bytes. */
  private record Contents(
      List<Group> groups, List<Map<String, LayerEntry>> contents, long[] bytes) {}

  private static Contents contents(InstalledSystem system, List<LayerEntry> extraTop)
      throws IOException {
    Path root = system.root();
    List<Group> groups = groups(system);
    Map<String, Integer> owner = new HashMap<>();
    Map<String, String> shippedMd5 = new HashMap<>();
    for (int g = 0; g < groups.size(); g++) {
      for (InstalledPackage p : groups.get(g).packages) {
        for (String file : p.files()) {
          owner.putIfAbsent(file, g);
        }
        shippedMd5.putAll(p.md5());
      }
    }
    int configIndex = groups.size();
    List<Map<String, LayerEntry>> contents = new ArrayList<>();
    for (int g = 0; g <= configIndex; g++) {
      contents.add(new TreeMap<>());
    }
    long[] bytes = new long[configIndex + 1];
    Map<Object, String> firstLink = new HashMap<>();
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.filter(p -> !p.equals(root)).sorted().toList();
    }
    for (Path host : paths) {
      String path = "/" + root.relativize(host).toString();
      Map<String, Object> attrs =
          Files.readAttributes(
              host, "unix:mode,uid,gid,ino,dev,size,nlink", LinkOption.NOFOLLOW_LINKS);
      boolean dir = Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS);
      Integer g = owner.get(path);
      int target = g == null ? configIndex : g;
      if (!dir && g != null && changed(path, host, shippedMd5)) {
        target = configIndex;
      }
      if (dir) {
        if (g == null) {
          addDirectory(contents.get(configIndex), root, path);
        } else {
          addDirectory(contents.get(target), root, path);
        }
        continue;
      }
      Map<String, LayerEntry> layer = contents.get(target);
      addParents(layer, root, path);
      int mode = (Integer) attrs.get("mode") & 07777;
      int uid = (Integer) attrs.get("uid");
      int gid = (Integer) attrs.get("gid");
      if (Files.isSymbolicLink(host)) {
        layer.put(
            path, LayerEntry.symlink(path, Files.readSymbolicLink(host).toString(), uid, gid));
      } else if (Files.isRegularFile(host, LinkOption.NOFOLLOW_LINKS)) {
        Object inode = List.of(target, attrs.get("dev"), attrs.get("ino"));
        String first =
            ((Integer) attrs.get("nlink")) > 1 ? firstLink.putIfAbsent(inode, path) : null;
        if (first != null) {
          layer.put(path, LayerEntry.hardlink(path, first));
        } else {
          layer.put(path, LayerEntry.file(path, Content.ofSealedFile(host), mode, uid, gid));
          bytes[target] += (Long) attrs.get("size");
        }
      }
    }
    for (LayerEntry entry : extraTop) {
      addParents(contents.get(configIndex), root, entry.path());
      contents.get(configIndex).put(entry.path(), entry);
    }
    return new Contents(groups, contents, bytes);
  }

  /** Largest groups get layers of their own; the rest share one; configuration goes last. */
  private static List<LayerInput> arrange(
      List<Group> groups, List<Map<String, LayerEntry>> contents, long[] bytes, int budget) {
    int configIndex = groups.size();
    List<Integer> order = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      order.add(g);
    }
    order.sort(
        Comparator.<Integer>comparingLong(g -> -bytes[g]).thenComparing(g -> groups.get(g).source));
    List<LayerInput> layers = new ArrayList<>();
    if (budget < 2) {
      Map<String, LayerEntry> all = new TreeMap<>();
      contents.forEach(all::putAll);
      layers.add(
          new LayerInput(List.copyOf(all.values()), "packages: " + groups.size() + " sources"));
      return layers;
    }
    int own = groups.size() <= budget - 1 ? groups.size() : budget - 2;
    for (int i = 0; i < own; i++) {
      int g = order.get(i);
      layers.add(
          new LayerInput(
              List.copyOf(contents.get(g).values()), "packages: " + groups.get(g).describe()));
    }
    if (own < groups.size()) {
      Map<String, LayerEntry> rest = new TreeMap<>();
      List<String> names = new ArrayList<>();
      for (int i = own; i < groups.size(); i++) {
        int g = order.get(i);
        mergeInto(rest, contents.get(g));
        names.add(groups.get(g).source);
      }
      layers.add(
          new LayerInput(
              List.copyOf(rest.values()),
              "packages: " + names.size() + " more sources (" + String.join(" ", names) + ")"));
    }
    layers.add(
        new LayerInput(
            List.copyOf(contents.get(configIndex).values()),
            "packages: configuration (maintainer scripts, dpkg database, apt sources)"));
    return layers;
  }

  private static void mergeInto(Map<String, LayerEntry> into, Map<String, LayerEntry> from) {
    from.forEach(into::putIfAbsent);
  }

  private static List<Group> groups(InstalledSystem system) {
    Map<String, Group> bySource = new LinkedHashMap<>();
    system.packages().stream()
        .sorted(
            Comparator.comparing(InstalledPackage::source).thenComparing(InstalledPackage::name))
        .forEach(p -> bySource.computeIfAbsent(p.source(), Group::new).packages.add(p));
    return new ArrayList<>(bySource.values());
  }

  /**
   * A shipped file that scripts rewrote belongs with the configuration, not with its package. Only
   * /etc is checked: scripts edit configuration, not programs, and hashing every file would cost a
   * full read of the image on every build.
   */
  private static boolean changed(String path, Path host, Map<String, String> shippedMd5)
      throws IOException {
    String expected = shippedMd5.get(path);
    if (expected == null || !path.startsWith("/etc/") || Files.isSymbolicLink(host)) {
      return false;
    }
    return !expected.equals(md5(host));
  }

  private static String md5(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      byte[] buffer = new byte[65536];
      for (int n; (n = in.read(buffer)) > 0; ) {
        md5.update(buffer, 0, n);
      }
      return HEX.formatHex(md5.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void addParents(Map<String, LayerEntry> layer, Path root, String path)
      throws IOException {
    int slash = path.lastIndexOf('/');
    if (slash > 0) {
      addDirectory(layer, root, path.substring(0, slash));
    }
  }

  /** A directory with its real mode and owner, and its parents, so no layer resets them. */
  private static void addDirectory(Map<String, LayerEntry> layer, Path root, String path)
      throws IOException {
    if (layer.containsKey(path)) {
      return;
    }
    addParents(layer, root, path);
    // Entries rig adds name paths that may lie under a link a script made: resolved in the root.
    Path host = ImageRoot.of(root).resolveLink(path);
    Map<String, Object> attrs =
        Files.readAttributes(host, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
    layer.put(
        path,
        LayerEntry.directory(
            path,
            (Integer) attrs.get("mode") & 07777,
            (Integer) attrs.get("uid"),
            (Integer) attrs.get("gid")));
  }

  private static final class Group {
    final String source;
    final List<InstalledPackage> packages = new ArrayList<>();

    Group(String source) {
      this.source = source;
    }

    String describe() {
      TreeSet<String> names = new TreeSet<>();
      packages.forEach(p -> names.add(p.name() + "=" + p.version()));
      return source + " (" + String.join(" ", names) + ")";
    }
  }
}
