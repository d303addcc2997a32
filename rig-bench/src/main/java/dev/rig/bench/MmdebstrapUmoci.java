package dev.rig.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The reference for a cold package image: {@code mmdebstrap} installing a list of packages from the
 * machine's mirror into a directory (dpkg path excludes as rig's slim options), then {@code umoci}
 * making it an OCI layout ({@code unpack} of an empty image, the tree moved in as its rootfs,
 * {@code repack}). When rig's cache was seeded with .debs, the same .debs are put into mmdebstrap's
 * apt archive first, so both sides skip the same downloads.
 */
final class MmdebstrapUmoci {
  /**
   * rig's slim options docs, manPages and locales as dpkg options, in rig's order (the last match
   * wins): licences and locale.alias stay.
   */
  static final List<String> SLIM_DPKG_OPTIONS =
      List.of(
          "path-exclude=/usr/share/doc/*",
          "path-include=/usr/share/doc/*/copyright",
          "path-exclude=/usr/share/man/*",
          "path-exclude=/usr/share/info/*",
          "path-exclude=/usr/share/locale/*",
          "path-include=/usr/share/locale/locale.alias");

  /**
   * Seconds of each side, and the compressed size of umoci's layer.
   *
   * @param cpu the machine's busy and idle core-seconds over both, where /proc/stat was readable
   */
  record Result(double mmdebstrap, double umoci, long layerBytes, Optional<CpuTime.Spent> cpu) {
    double seconds() {
      return mmdebstrap + umoci;
    }
  }

  /** A locked package, as rig.lock records it. */
  record Package(String name, String version, String architecture, String filename, String sha256) {
    /** The component the .deb comes from, from its pool path (pool/non-free/...). */
    String component() {
      String[] parts = filename.split("/");
      return parts.length > 2 && parts[0].equals("pool") ? parts[1] : "main";
    }

    /** The name apt gives the .deb in its archive (an epoch's colon written %3a). */
    String archiveName() {
      return name + "_" + version.replace(":", "%3a") + "_" + architecture + ".deb";
    }
  }

  private final Path dir;
  private final Proc proc;
  private final Duration timeout;

  MmdebstrapUmoci(Path dir, Proc proc, Duration timeout) {
    this.dir = dir;
    this.proc = proc;
    this.timeout = timeout;
  }

  /**
   * Builds the image of {@code packages} (their names: apt picks the mirror's versions, which are
   * the ones rig just locked). {@code seed}, when present, maps a package's archive name to a .deb
   * to hard-link into apt's archive before the install.
   */
  Result build(List<Package> packages, Optional<Map<String, Path>> seed) throws IOException {
    Files.createDirectories(dir);
    Path root = dir.resolve("rootfs");
    List<String> mm = new ArrayList<>();
    mm.add("mmdebstrap");
    mm.add("root".equals(System.getProperty("user.name")) ? "--mode=root" : "--mode=unshare");
    mm.add("--variant=essential");
    TreeSet<String> components = new TreeSet<>();
    packages.forEach(p -> components.add(p.component()));
    mm.add("--components=" + String.join(",", components));
    mm.add("--keyring=" + CudaTree.KEYRING);
    mm.add("--include=" + String.join(",", packages.stream().map(Package::name).toList()));
    mm.add("--aptopt=APT::Install-Recommends \"false\"");
    for (String option : SLIM_DPKG_OPTIONS) {
      mm.add("--dpkgopt=" + option);
    }
    if (seed.isPresent()) {
      Path archive = Files.createDirectories(dir.resolve("seed"));
      for (Map.Entry<String, Path> e : seed.get().entrySet()) {
        Files.createLink(archive.resolve(e.getKey()), e.getValue());
      }
      mm.add(
          "--setup-hook=mkdir -p \"$1/var/cache/apt/archives\" && cp -al "
              + archive
              + "/. \"$1/var/cache/apt/archives/\"");
    }
    // update-alternatives links man pages into man1; the directory must exist even when empty.
    mm.add("--essential-hook=mkdir -p \"$1/usr/share/man/man1\"");
    mm.add("--format=directory");
    mm.add("--quiet");
    mm.add(CudaTree.SUITE);
    mm.add(root.toString());
    mm.add(CudaTree.mirror().uri().toString());
    Optional<CpuTime> cpuStart = CpuTime.now();
    double mmSeconds = proc.run(mm, timeout).ok().seconds();

    Path layout = dir.resolve("umoci");
    Path bundle = dir.resolve("bundle");
    String image = layout + ":img";
    long start = System.nanoTime();
    proc.run(List.of("umoci", "init", "--layout", layout.toString()), timeout).ok();
    proc.run(List.of("umoci", "new", "--image", image), timeout).ok();
    proc.run(List.of("umoci", "unpack", "--image", image, bundle.toString()), timeout).ok();
    Path rootfs = bundle.resolve("rootfs");
    Fs.deleteTree(rootfs);
    Files.move(root, rootfs);
    proc.run(List.of("umoci", "repack", "--image", image, bundle.toString()), timeout).ok();
    double umociSeconds = (System.nanoTime() - start) / 1e9;
    Optional<CpuTime.Spent> cpu = CpuTime.since(cpuStart);
    long bytes = Bench.layerBytes(layout);
    Fs.deleteTree(bundle);
    Fs.deleteTree(layout);
    Fs.deleteTree(dir.resolve("seed"));
    return new Result(mmSeconds, umociSeconds, bytes, cpu);
  }
}
