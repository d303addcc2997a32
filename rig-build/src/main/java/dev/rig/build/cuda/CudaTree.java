package dev.rig.build.cuda;

import dev.rig.build.cuda.CudaPackages.Installed;
import dev.rig.oci.layer.Content;
import dev.rig.oci.layer.LayerEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The /usr/local/cuda-VERSION tree NVIDIA's installer makes, built from what Debian's CUDA packages
 * installed elsewhere, because build systems and tools look there: lib64/ with a link to each CUDA
 * library (never the whole multiarch directory, which holds every other library too), bin/ with the
 * CUDA tools and include/ with the CUDA headers only when packages installed some, and version.json
 * naming the release.
 */
final class CudaTree {
  /** An upstream version as Debian packages CUDA: the component's, then "~" and the release's. */
  private static final Pattern RELEASE = Pattern.compile("(?:.*~)?(\\d+\\.\\d+(?:\\.\\d+)?).*");

  private CudaTree() {}

  /**
   * The entries of {@code dir} (e.g. "/usr/local/cuda-12.4"), sorted by path, from {@code packages}
   * as installed in {@code root}; a path a package lists but the root lacks (slimmed away) gets no
   * link.
   */
  static List<LayerEntry> entries(
      String dir, String multiarch, List<Installed> packages, InstalledRoot root) {
    Map<String, String> lib64 = new TreeMap<>();
    Map<String, String> bin = new TreeMap<>();
    Map<String, String> include = new TreeMap<>();
    Optional<String> cudartVersion = Optional.empty();
    for (Installed p : packages) {
      for (String file : p.files()) {
        String parent = parent(file);
        String name = file.substring(file.lastIndexOf('/') + 1);
        if ((parent.equals("/usr/lib/" + multiarch) || parent.equals("/lib/" + multiarch))
            && isLibrary(name)
            && isFileOrLink(root, file)) {
          lib64.putIfAbsent(name, file);
          if (name.startsWith("libcudart.so") && cudartVersion.isEmpty()) {
            cudartVersion = Optional.of(p.version());
          }
        } else if (parent.equals("/usr/bin") && isFileOrLink(root, file)) {
          bin.putIfAbsent(name, file);
        } else if (file.startsWith("/usr/include/")) {
          // A header directory (crt/, thrust/) is linked whole, as its top name under include/.
          String top = file.substring("/usr/include/".length()).split("/")[0];
          if (root.entry("/usr/include/" + top).isPresent()) {
            include.putIfAbsent(top, "/usr/include/" + top);
          }
        }
      }
    }
    List<LayerEntry> entries = new ArrayList<>();
    entries.add(LayerEntry.directory(dir, 0755, 0, 0));
    links(entries, dir + "/bin", bin);
    links(entries, dir + "/include", include);
    links(entries, dir + "/lib64", lib64);
    cudartVersion
        .flatMap(CudaTree::release)
        .ifPresent(
            release ->
                entries.add(
                    LayerEntry.file(
                        dir + "/version.json",
                        new Content.Bytes(versionJson(release).getBytes(StandardCharsets.UTF_8)),
                        0644,
                        0,
                        0)));
    return List.copyOf(entries);
  }

  /**
   * The CUDA release a Debian version of libcudart names: "12.4.131~12.4.1-3" is 12.4.1 (the part
   * after "~"; before it is a component's own version), "1:12.4.1-1" is 12.4.1.
   */
  static Optional<String> release(String debianVersion) {
    String upstream = debianVersion.substring(debianVersion.indexOf(':') + 1);
    int revision = upstream.lastIndexOf('-');
    if (revision > 0) {
      upstream = upstream.substring(0, revision);
    }
    Matcher m = RELEASE.matcher(upstream);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** version.json as NVIDIA's toolkit writes it, reduced to the release, which tools read. */
  static String versionJson(String release) {
    return "{\n  \"cuda\": {\n    \"name\": \"CUDA SDK\",\n    \"version\": \""
        + release
        + "\"\n  }\n}\n";
  }

  private static void links(List<LayerEntry> entries, String dir, Map<String, String> links) {
    if (links.isEmpty()) {
      return;
    }
    entries.add(LayerEntry.directory(dir, 0755, 0, 0));
    links.forEach(
        (name, target) -> entries.add(LayerEntry.symlink(dir + "/" + name, target, 0, 0)));
  }

  /** A shared object (libcudart.so, libcudart.so.12, libcudart.so.12.4.127) or static archive. */
  private static boolean isLibrary(String name) {
    return name.startsWith("lib") && (name.contains(".so") || name.endsWith(".a"));
  }

  private static boolean isFileOrLink(InstalledRoot root, String path) {
    Optional<BasicFileAttributes> entry = root.entry(path);
    return entry.isPresent() && (entry.get().isRegularFile() || entry.get().isSymbolicLink());
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }
}
