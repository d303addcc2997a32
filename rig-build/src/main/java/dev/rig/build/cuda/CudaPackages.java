package dev.rig.build.cuda;

import dev.rig.apt.control.ControlParser;
import dev.rig.apt.control.Stanza;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The CUDA packages dpkg installed in a root, with the paths each owns: the packages rig asked for
 * and every installed package built from the same source packages (so nvcc from nvidia-cuda-toolkit
 * counts when libcudart12 was asked for, whichever list named it).
 */
final class CudaPackages {
  private CudaPackages() {}

  /**
   * One installed package.
   *
   * @param version dpkg's version, epoch and revision included
   * @param files the absolute paths its .list names
   */
  record Installed(String name, String version, String source, List<String> files) {
    Installed {
      files = List.copyOf(files);
    }
  }

  /** The installed CUDA packages of {@code root}, by name; none when dpkg's status is missing. */
  static List<Installed> read(InstalledRoot root, Collection<String> asked) {
    Optional<String> status = root.readRegularFile("/var/lib/dpkg/status");
    if (status.isEmpty()) {
      return List.of();
    }
    List<Stanza> installed = new ArrayList<>();
    for (Stanza stanza : ControlParser.parse("/var/lib/dpkg/status", status.get())) {
      if (stanza.get("Status").orElse("").endsWith(" installed")) {
        installed.add(stanza);
      }
    }
    Set<String> sources = new HashSet<>();
    for (Stanza stanza : installed) {
      if (asked.contains(stanza.require("Package"))) {
        sources.add(source(stanza));
      }
    }
    List<Installed> cuda = new ArrayList<>();
    for (Stanza stanza : installed) {
      String name = stanza.require("Package");
      if (asked.contains(name) || sources.contains(source(stanza))) {
        String arch = stanza.get("Architecture").orElse("");
        Optional<String> list =
            root.readRegularFile("/var/lib/dpkg/info/" + name + ".list")
                .or(
                    () ->
                        root.readRegularFile("/var/lib/dpkg/info/" + name + ":" + arch + ".list"));
        cuda.add(
            new Installed(
                name,
                stanza.get("Version").orElse(""),
                source(stanza),
                list.map(text -> text.lines().filter(l -> l.startsWith("/")).toList())
                    .orElse(List.of())));
      }
    }
    cuda.sort(Comparator.comparing(Installed::name));
    return List.copyOf(cuda);
  }

  /** The source package: "Source: name (version)" names it, and no Source field means itself. */
  private static String source(Stanza stanza) {
    return stanza.get("Source").orElse(stanza.require("Package")).strip().split(" ")[0];
  }
}
