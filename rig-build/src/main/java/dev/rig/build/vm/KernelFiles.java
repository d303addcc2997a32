package dev.rig.build.vm;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import dev.rig.apt.deb.DataEntry;
import dev.rig.apt.deb.DebArchive;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.tukaani.xz.XZInputStream;

/**
 * The guest kernel as a Debian kernel package ships it: the bzImage ({@code /boot/vmlinuz-V}) and
 * its loadable modules, read straight from the locked .debs (no maintainer script runs, no depmod:
 * the modules' own {@code depends=} say the load order).
 *
 * @param modules compressed module files by module name (dashes as underscores)
 * @param builtins the files that tell depmod and modprobe which modules are built in ({@code
 *     modules.builtin}, {@code modules.builtin.modinfo}, {@code modules.order}) by file name
 */
record KernelFiles(
    String version, byte[] bzImage, Map<String, ModuleFile> modules, Map<String, byte[]> builtins) {

  private static final Set<String> BUILTIN_FILES =
      Set.of("modules.builtin", "modules.builtin.modinfo", "modules.order");

  /** One module as shipped, {@code .ko}, {@code .ko.xz} or {@code .ko.zst}. */
  record ModuleFile(String path, byte[] shipped) {
    byte[] uncompressed() throws IOException {
      if (path.endsWith(".ko")) {
        return shipped;
      }
      try (InputStream in =
          path.endsWith(".xz")
              ? new XZInputStream(new ByteArrayInputStream(shipped))
              : new ZstdInputStreamNoFinalizer(new ByteArrayInputStream(shipped))) {
        return in.readAllBytes();
      }
    }
  }

  /**
   * Reads the kernel and its modules from {@code debs}; the one with /boot/vmlinuz-* is the one.
   */
  static KernelFiles read(List<Path> debs, String kernelPackage) throws IOException {
    String[] version = {null};
    byte[][] image = {null};
    Map<String, ModuleFile> modules = new TreeMap<>();
    Map<String, byte[]> builtins = new TreeMap<>();
    for (Path deb : debs) {
      DebArchive archive = DebArchive.open(deb);
      archive.forEachDataEntry(
          (DataEntry entry, InputStream content) -> {
            String name = entry.name().startsWith("./") ? entry.name().substring(2) : entry.name();
            if (entry.type() != DataEntry.Type.FILE) {
              return;
            }
            if (name.startsWith("boot/vmlinuz-")) {
              version[0] = name.substring("boot/vmlinuz-".length());
              image[0] = content.readAllBytes();
            } else if (name.matches("(usr/)?lib/modules/[^/]+/kernel/.*\\.ko(\\.xz|\\.zst)?")) {
              String file = name.substring(name.lastIndexOf('/') + 1);
              String module = file.substring(0, file.indexOf(".ko")).replace('-', '_');
              modules.put(module, new ModuleFile(name, content.readAllBytes()));
            } else if (name.matches("(usr/)?lib/modules/[^/]+/[^/]+")
                && BUILTIN_FILES.contains(name.substring(name.lastIndexOf('/') + 1))) {
              builtins.put(name.substring(name.lastIndexOf('/') + 1), content.readAllBytes());
            }
          });
    }
    if (image[0] == null) {
      throw new IOException(
          "vm.kernelPackage "
              + kernelPackage
              + ": none of its locked packages ships /boot/vmlinuz-*; name a Debian kernel image"
              + " package such as linux-image-cloud-amd64");
    }
    return new KernelFiles(version[0], image[0], modules, builtins);
  }

  /**
   * The modules to load for {@code wanted}, each after the modules it depends on; a wanted name the
   * package has no module for is built into the kernel and left out.
   */
  List<String> loadOrder(List<String> wanted) throws IOException {
    Set<String> ordered = new LinkedHashSet<>();
    for (String name : wanted) {
      visit(name.replace('-', '_'), ordered, new ArrayDeque<>());
    }
    return List.copyOf(ordered);
  }

  private void visit(String name, Set<String> ordered, Deque<String> path) throws IOException {
    ModuleFile file = modules.get(name);
    if (file == null || ordered.contains(name) || path.contains(name)) {
      return;
    }
    path.push(name);
    for (String dependency : dependencies(file.uncompressed())) {
      visit(dependency, ordered, path);
    }
    path.pop();
    ordered.add(name);
  }

  /** The {@code depends=} list of a module's .modinfo section. */
  static List<String> dependencies(byte[] module) {
    byte[] key = "\0depends=".getBytes(StandardCharsets.US_ASCII);
    outer:
    for (int i = 0; i + key.length <= module.length; i++) {
      for (int k = 0; k < key.length; k++) {
        if (module[i + k] != key[k]) {
          continue outer;
        }
      }
      int start = i + key.length;
      int end = start;
      while (end < module.length && module[end] != 0) {
        end++;
      }
      String value = new String(module, start, end - start, StandardCharsets.US_ASCII);
      List<String> names = new ArrayList<>();
      for (String part : value.split(",")) {
        if (!part.isBlank()) {
          names.add(part.strip().replace('-', '_'));
        }
      }
      return names;
    }
    return List.of();
  }

  /** A module file's uncompressed bytes by module name. */
  Optional<byte[]> module(String name) throws IOException {
    ModuleFile file = modules.get(name);
    return file == null ? Optional.empty() : Optional.of(file.uncompressed());
  }
}
