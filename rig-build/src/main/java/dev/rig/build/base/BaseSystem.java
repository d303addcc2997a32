package dev.rig.build.base;

import dev.rig.apt.control.ControlParser;
import dev.rig.apt.control.PackageRecord;
import dev.rig.apt.control.Stanza;
import dev.rig.apt.repo.AptSources;
import dev.rig.apt.repo.SourceEntry;
import dev.rig.build.rootfs.ImageRoot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a base image is, read from its unpacked root: the packages its dpkg database says are
 * installed, its apt sources (one-line and deb822), /etc/os-release and its account files. Packages
 * rig installs are resolved against the installed ones, as apt would on that system.
 *
 * @param root the unpacked base (see {@link BaseRoot})
 * @param installed every package with status "install ok installed", as the resolver reads them
 * @param osRelease the fields of /etc/os-release (ID, VERSION_ID, VERSION_CODENAME, PRETTY_NAME)
 * @param sources the base's apt sources; their keyrings are files under {@link #root}
 * @param architecture dpkg's own architecture (that of the installed dpkg package)
 * @param accounts /etc/passwd, /etc/group and /etc/shadow as the base has them (empty when absent)
 */
public record BaseSystem(
    Path root,
    List<PackageRecord> installed,
    Map<String, String> osRelease,
    List<SourceEntry> sources,
    String architecture,
    Map<String, String> accounts) {
  private static final String STATUS = "/var/lib/dpkg/status";

  public BaseSystem {
    installed = List.copyOf(installed);
    osRelease = Map.copyOf(osRelease);
    sources = List.copyOf(sources);
    accounts = Map.copyOf(accounts);
  }

  /**
   * Reads the base unpacked at {@code root}.
   *
   * @throws BaseException when it has no dpkg database (not Debian-based), naming the image
   */
  public static BaseSystem read(String image, String reference, Path root) throws IOException {
    ImageRoot base = ImageRoot.of(root);
    if (!base.isRegularFile(STATUS)) {
      throw new BaseException(
          "image '"
              + image
              + "': its base "
              + reference
              + " has no dpkg database ("
              + STATUS
              + "), so rig cannot install packages on it; use a Debian or Ubuntu based image as"
              + " `from`, or drop `packages` and copy files in with copyToRoot");
    }
    List<PackageRecord> installed = new ArrayList<>();
    String architecture = "";
    for (Stanza stanza : ControlParser.parse(reference + STATUS, base.readString(STATUS))) {
      if (!stanza.get("Status").orElse("").strip().endsWith(" ok installed")) {
        continue;
      }
      PackageRecord record = PackageRecord.from(stanza);
      installed.add(record);
      if (record.name().equals("dpkg")) {
        architecture = record.architecture();
      }
    }
    Map<String, String> accounts = new LinkedHashMap<>();
    for (String file : List.of("/etc/passwd", "/etc/group", "/etc/shadow")) {
      if (base.isRegularFile(file)) {
        accounts.put(file, base.readString(file));
      }
    }
    return new BaseSystem(
        root,
        installed,
        osRelease(base),
        AptSources.readSystem(base.resolve("/etc/apt")),
        architecture,
        accounts);
  }

  /** "Debian GNU/Linux 13 (trixie)", else the ID and version, else "an unnamed system". */
  public String describe() {
    if (osRelease.containsKey("PRETTY_NAME")) {
      return osRelease.get("PRETTY_NAME");
    }
    String id = osRelease.getOrDefault("ID", "");
    return id.isEmpty()
        ? "an unnamed system"
        : (id + " " + osRelease.getOrDefault("VERSION_ID", "")).strip();
  }

  /** The version installed of {@code name}, when the base has it. */
  public Optional<PackageRecord> installed(String name) {
    return installed.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /**
   * The distribution shorthand the base's packages come from ({@code debian:trixie}), read from
   * /etc/os-release; empty when the system names no Debian or Ubuntu release.
   */
  public Optional<String> distribution() {
    String id = osRelease.getOrDefault("ID", "");
    String codename = osRelease.getOrDefault("VERSION_CODENAME", "");
    if ((!id.equals("debian") && !id.equals("ubuntu")) || codename.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(id + ":" + codename);
  }

  private static Map<String, String> osRelease(ImageRoot base) throws IOException {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String file : List.of("/etc/os-release", "/usr/lib/os-release")) {
      if (!base.isRegularFile(file)) {
        continue;
      }
      for (String line : base.readString(file).lines().toList()) {
        int eq = line.indexOf('=');
        if (eq <= 0 || line.startsWith("#")) {
          continue;
        }
        String value = line.substring(eq + 1).strip();
        if (value.length() >= 2 && (value.startsWith("\"") || value.startsWith("'"))) {
          value = value.substring(1, value.length() - 1);
        }
        fields.put(line.substring(0, eq).strip(), value);
      }
      break;
    }
    return fields;
  }
}
