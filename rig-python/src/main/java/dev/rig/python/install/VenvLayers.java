package dev.rig.python.install;

import dev.rig.oci.layer.Content;
import dev.rig.oci.layer.LayerEntry;
import dev.rig.oci.layer.LayerInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Splits an installed venv into layers: each large wheel (at least {@link #LARGE_WHEEL_BYTES}
 * unpacked, such as torch or an nvidia-* library) its own layer while the budget lasts, everything
 * else (the venv's own files and the small wheels) one layer. A large wheel's layer holds only its
 * own files and their bytecode, so changing a small requirement leaves it byte for byte the same,
 * and a registry already has it.
 */
public final class VenvLayers {
  /** 32 MiB unpacked: below this a wheel is cheaper to re-push than to keep apart. */
  public static final long LARGE_WHEEL_BYTES = 32L * 1024 * 1024;

  private VenvLayers() {}

  /**
   * @param venvDir the venv on the host, bytecode included
   * @param budget the layers the venv may take, at least 1
   */
  public static List<LayerInput> split(
      Path venvDir, VenvLayout layout, List<InstalledDistribution> installed, int budget)
      throws IOException {
    if (budget < 1) {
      throw new IllegalArgumentException("the venv needs at least one layer");
    }
    Map<String, Integer> owner = new HashMap<>();
    for (int i = 0; i < installed.size(); i++) {
      for (String file : installed.get(i).files()) {
        owner.put(file, i);
      }
    }
    List<Integer> large = new ArrayList<>();
    for (int i = 0; i < installed.size(); i++) {
      if (installed.get(i).bytes() >= LARGE_WHEEL_BYTES) {
        large.add(i);
      }
    }
    large.sort(
        Comparator.<Integer>comparingLong(i -> -installed.get(i).bytes())
            .thenComparing(i -> installed.get(i).name()));
    List<Integer> own = large.subList(0, Math.min(large.size(), budget - 1));
    Map<Integer, Map<String, LayerEntry>> layers = new TreeMap<>();
    int rest = -1;
    for (int i : own) {
      layers.put(i, new TreeMap<>());
    }
    layers.put(rest, new TreeMap<>());
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(venvDir)) {
      paths = walk.filter(p -> !p.equals(venvDir)).sorted().toList();
    }
    for (Path host : paths) {
      String relative = venvDir.relativize(host).toString();
      if (Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      Integer wheel = owner.get(sourceOf(relative));
      Map<String, LayerEntry> layer =
          layers.get(wheel != null && own.contains(wheel) ? wheel : rest);
      String path = layout.venv() + "/" + relative;
      addParents(layer, path);
      if (Files.isSymbolicLink(host)) {
        layer.put(path, LayerEntry.symlink(path, Files.readSymbolicLink(host).toString(), 0, 0));
      } else {
        boolean executable = Files.isExecutable(host);
        layer.put(
            path,
            LayerEntry.file(path, Content.ofSealedFile(host), executable ? 0755 : 0644, 0, 0));
      }
    }
    // Empty directories of the skeleton (include/) live in the shared layer.
    for (Path host : paths) {
      if (Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
        String path = layout.venv() + "/" + venvDir.relativize(host);
        addParents(layers.get(rest), path + "/x");
      }
    }
    List<LayerInput> result = new ArrayList<>();
    for (int i : own) {
      InstalledDistribution d = installed.get(i);
      result.add(
          new LayerInput(
              List.copyOf(layers.get(i).values()),
              "python: " + d.name() + "==" + d.version() + " (" + d.wheel() + ")"));
    }
    int small = installed.size() - own.size();
    result.add(
        new LayerInput(
            List.copyOf(layers.get(rest).values()),
            "python: venv " + layout.venv() + " with " + small + " wheel(s)"));
    return List.copyOf(result);
  }

  /**
   * The file whose bytecode {@code relative} is ({@code d/__pycache__/m.cpython-313.pyc} belongs to
   * {@code d/m.py}), or {@code relative} itself.
   */
  static String sourceOf(String relative) {
    int cache = relative.lastIndexOf("/__pycache__/");
    if (cache < 0 || !relative.endsWith(".pyc")) {
      return relative;
    }
    String dir = relative.substring(0, cache);
    String file = relative.substring(cache + "/__pycache__/".length());
    int dot = file.indexOf('.');
    return dir + "/" + (dot < 0 ? file : file.substring(0, dot)) + ".py";
  }

  private static void addParents(Map<String, LayerEntry> layer, String path) {
    int slash = path.lastIndexOf('/');
    if (slash <= 0) {
      return;
    }
    String parent = path.substring(0, slash);
    if (!layer.containsKey(parent)) {
      addParents(layer, parent);
      layer.put(parent, LayerEntry.directory(parent, 0755, 0, 0));
    }
  }
}
