package dev.rig.apt.control;

import dev.rig.apt.version.DebianVersion;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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

  /** Parses a whole Packages index. */
  public static List<PackageRecord> parseIndex(String source, String text) {
    return ControlParser.parse(source, text).stream().map(PackageRecord::from).toList();
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
