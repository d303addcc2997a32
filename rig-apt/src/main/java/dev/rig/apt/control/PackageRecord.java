package dev.rig.apt.control;

import dev.rig.apt.version.DebianVersion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One binary package entry of a {@code Packages} index: what the resolver and the downloader need.
 *
 * @param source the source package name (the package's own name when the field is absent)
 * @param sourceVersion the source version when given in parentheses, else the binary version
 * @param installedSizeKib Installed-Size (KiB), 0 when absent
 */
public record PackageRecord(
    String name,
    DebianVersion version,
    String architecture,
    MultiArch multiArch,
    boolean essential,
    String priority,
    String source,
    DebianVersion sourceVersion,
    List<Dependency> depends,
    List<Dependency> preDepends,
    List<Dependency> recommends,
    List<PackageRef> provides,
    List<Dependency> conflicts,
    List<Dependency> breaks,
    List<Dependency> replaces,
    String filename,
    long size,
    String sha256,
    long installedSizeKib) {

  /**
   * Enough of an index record to download and verify one package whose name, version, file, size
   * and SHA-256 are already known (from rig.lock): no relations, no index to read.
   */
  public static PackageRecord forDownload(
      String name, String version, String architecture, String filename, long size, String sha256) {
    DebianVersion parsed = DebianVersion.parse(version);
    return new PackageRecord(
        name,
        parsed,
        architecture,
        MultiArch.NO,
        false,
        "",
        name,
        parsed,
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        filename,
        size,
        sha256,
        0);
  }

  public PackageRecord {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(architecture, "architecture");
    depends = List.copyOf(depends);
    preDepends = List.copyOf(preDepends);
    recommends = List.copyOf(recommends);
    provides = List.copyOf(provides);
    conflicts = List.copyOf(conflicts);
    breaks = List.copyOf(breaks);
    replaces = List.copyOf(replaces);
  }

  /** Reads a Packages stanza; errors name the index file and line. */
  public static PackageRecord from(Stanza s) {
    try {
      String name = s.require("Package");
      DebianVersion version = DebianVersion.parse(s.require("Version"));
      String source = name;
      DebianVersion sourceVersion = version;
      Optional<String> src = s.get("Source");
      if (src.isPresent()) {
        String v = src.get().strip();
        int paren = v.indexOf('(');
        if (paren >= 0) {
          int close = v.indexOf(')', paren);
          if (close < 0) {
            throw new IllegalArgumentException("unclosed '(' in Source: " + v);
          }
          sourceVersion = DebianVersion.parse(v.substring(paren + 1, close));
          v = v.substring(0, paren).strip();
        }
        source = v;
      }
      List<PackageRef> provides = List.of();
      Optional<String> prov = s.get("Provides");
      if (prov.isPresent()) {
        provides =
            DependencyParser.parse(prov.get()).stream()
                .map(
                    d -> {
                      if (d.alternatives().size() != 1) {
                        throw new IllegalArgumentException("'|' in Provides: " + prov.get());
                      }
                      return d.alternatives().get(0);
                    })
                .toList();
      }
      return new PackageRecord(
          name,
          version,
          s.require("Architecture").strip(),
          s.get("Multi-Arch").map(MultiArch::parse).orElse(MultiArch.NO),
          s.get("Essential").map(v -> v.strip().equalsIgnoreCase("yes")).orElse(false),
          s.get("Priority").map(String::strip).orElse("optional"),
          source,
          sourceVersion,
          deps(s, "Depends"),
          deps(s, "Pre-Depends"),
          deps(s, "Recommends"),
          provides,
          deps(s, "Conflicts"),
          deps(s, "Breaks"),
          deps(s, "Replaces"),
          s.get("Filename").map(String::strip).orElse(""),
          s.get("Size").map(v -> Long.parseLong(v.strip())).orElse(0L),
          s.get("SHA256").map(String::strip).orElse(""),
          s.get("Installed-Size").map(v -> Long.parseLong(v.strip())).orElse(0L));
    } catch (IllegalArgumentException e) {
      throw new ControlFileException(s.where() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses a whole Packages index. A large one (Debian's main has some 65,000 stanzas) is cut at
   * stanza boundaries into pieces parsed on all cores; the records keep the index's order and every
   * error names the line of the whole file.
   */
  public static List<PackageRecord> parseIndex(String source, String text) {
    int pieces = Math.min(4 * Runtime.getRuntime().availableProcessors(), text.length() >> 20);
    if (pieces < 2) {
      return ControlParser.parse(source, text).stream().map(PackageRecord::from).toList();
    }
    List<int[]> cuts = new ArrayList<>();
    int from = 0;
    int line = 1;
    for (int k = 1; k <= pieces && from < text.length(); k++) {
      int to =
          k == pieces
              ? text.length()
              : text.indexOf("\n\n", (int) ((long) text.length() * k / pieces));
      to = to < 0 ? text.length() : Math.min(text.length(), to + 2);
      if (to <= from) {
        continue;
      }
      cuts.add(new int[] {from, to, line});
      for (int i = from; i < to; i++) {
        if (text.charAt(i) == '\n') {
          line++;
        }
      }
      from = to;
    }
    // The caller takes pieces too, beside the common pool's workers (one fewer than the cores).
    List<List<PackageRecord>> parsed = new ArrayList<>(Collections.nCopies(cuts.size(), null));
    AtomicInteger next = new AtomicInteger();
    Runnable worker =
        () -> {
          for (int k; (k = next.getAndIncrement()) < cuts.size(); ) {
            int[] cut = cuts.get(k);
            parsed.set(
                k,
                ControlParser.parse(source, text.substring(cut[0], cut[1]), cut[2]).stream()
                    .map(PackageRecord::from)
                    .toList());
          }
        };
    List<CompletableFuture<Void>> helpers = new ArrayList<>();
    for (int i = 1; i < Runtime.getRuntime().availableProcessors(); i++) {
      helpers.add(CompletableFuture.runAsync(worker));
    }
    RuntimeException failed = null;
    try {
      worker.run();
    } catch (RuntimeException e) {
      failed = e;
    }
    for (CompletableFuture<Void> helper : helpers) {
      try {
        helper.join();
      } catch (CompletionException e) {
        if (failed == null) {
          failed =
              e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e);
        }
      }
    }
    if (failed != null) {
      // The first error in the file's order, as a parse of the whole text would have met it.
      for (int k = 0; k < cuts.size(); k++) {
        if (parsed.get(k) == null) {
          int[] cut = cuts.get(k);
          ControlParser.parse(source, text.substring(cut[0], cut[1]), cut[2]).stream()
              .map(PackageRecord::from)
              .toList();
        }
      }
      throw failed;
    }
    List<PackageRecord> all = new ArrayList<>();
    parsed.forEach(all::addAll);
    return List.copyOf(all);
  }

  private static List<Dependency> deps(Stanza s, String field) {
    return s.get(field).map(DependencyParser::parse).orElse(List.of());
  }

  /** {@code name=version}, the form apt-get and rig.lock use. */
  public String id() {
    return name + "=" + version;
  }

  @Override
  public String toString() {
    return name + " " + version + " (" + architecture + ")";
  }
}
