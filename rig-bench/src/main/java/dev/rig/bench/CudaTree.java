package dev.rig.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rig.apt.control.PackageRecord;
import dev.rig.apt.deb.DebDownloader;
import dev.rig.apt.deb.DebUnpacker;
import dev.rig.apt.deb.DownloadEvent;
import dev.rig.apt.deb.DownloadListener;
import dev.rig.apt.deb.UnpackedDeb;
import dev.rig.apt.repo.AptSources;
import dev.rig.apt.repo.Fetchers;
import dev.rig.apt.repo.Keyring;
import dev.rig.apt.repo.ReleaseFile;
import dev.rig.apt.repo.RepositoryFetcher;
import dev.rig.apt.repo.SourceEntry;
import dev.rig.apt.repo.SuiteReader;
import dev.rig.apt.resolve.Universe;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's input: CUDA runtime libraries from Debian trixie (non-free), fetched and unpacked
 * with rig-apt, each package's files in its own directory {@code DEST/PACKAGE/usr/...}. The mirror
 * is the machine's own (from /etc/apt); the package catalog and the .debs are cached so that a
 * re-run needs no network.
 */
final class CudaTree {
  static final String SUITE = "trixie";
  static final List<String> COMPONENTS = List.of("main", "non-free");
  static final Path KEYRING = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");

  /**
   * Taken in this order while they fit the size asked for: small runtimes first, so that even a
   * quick run holds several packages; the full list is about 2 GB unpacked.
   */
  static final List<String> PACKAGES =
      List.of(
          "libcudart12",
          "libcublas12",
          "libcurand10",
          "libnvrtc12",
          "libnvjitlink12",
          "libcupti12",
          "libnvtoolsext1",
          "libcufft11",
          "libcusparse12",
          "libcublaslt12",
          "libcusolver11",
          "libcusolvermg11",
          "libnppc12",
          "libnppial12",
          "libnppicc12",
          "libnppidei12",
          "libnppif12",
          "libnppig12",
          "libnppim12",
          "libnppist12",
          "libnppisu12",
          "libnppitc12",
          "libnpps12",
          "libnvvm4",
          "libcufftw11",
          "libnvblas12",
          "libnvidia-nvvm4",
          "libcupti-dev");

  /** What the catalog keeps of an index record: enough to find the cached .deb offline. */
  record Entry(String name, String version, String sha256, long size, long installedKib) {}

  /** The tree built: its directory, one sub-directory per package, and its size. */
  record Built(Path dir, List<Entry> packages, Map<String, Path> packageDirs, long bytes) {}

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path cacheRoot;
  private final PrintStream log;
  private final Proc proc;

  CudaTree(Path cacheRoot, PrintStream log, Proc proc) {
    this.cacheRoot = cacheRoot;
    this.log = log;
    this.proc = proc;
  }

  /**
   * Packages in {@link #PACKAGES} order whose installed sizes fit {@code sizeMb} (at least one).
   */
  static List<Entry> select(List<Entry> catalog, long sizeMb) {
    Map<String, Entry> byName = new LinkedHashMap<>();
    for (Entry e : catalog) {
      byName.putIfAbsent(e.name(), e);
    }
    long budgetKib = sizeMb * 1_000_000L / 1024;
    long used = 0;
    List<Entry> out = new ArrayList<>();
    for (String name : PACKAGES) {
      Entry e = byName.get(name);
      if (e == null) {
        continue;
      }
      if (out.isEmpty() || used + e.installedKib() <= budgetKib) {
        out.add(e);
        used += e.installedKib();
      }
    }
    return out;
  }

  Built build(long sizeMb, Path dest) throws IOException {
    // Named after the wanted list, so that a changed list reads the indexes again.
    Path catalogFile =
        cacheRoot.resolve(
            "packages-" + SUITE + "-" + Integer.toHexString(PACKAGES.hashCode()) + ".json");
    List<PackageRecord> records = null;
    List<Entry> catalog;
    if (Files.isRegularFile(catalogFile)) {
      catalog = JSON.readValue(catalogFile.toFile(), new TypeReference<List<Entry>>() {});
    } else {
      records = readIndexes();
      catalog = new ArrayList<>();
      for (PackageRecord p : records) {
        catalog.add(
            new Entry(
                p.name(), p.version().toString(), p.sha256(), p.size(), p.installedSizeKib()));
      }
      Files.createDirectories(cacheRoot);
      JSON.writeValue(catalogFile.toFile(), catalog);
    }
    List<Entry> chosen = select(catalog, sizeMb);
    DebDownloader downloader = new DebDownloader(cacheRoot, 4, this::onDownload);
    boolean allCached =
        chosen.stream().allMatch(e -> Files.isRegularFile(downloader.cachePath(e.sha256())));
    Map<String, Path> debs = new LinkedHashMap<>();
    if (allCached) {
      for (Entry e : chosen) {
        debs.put(e.name(), downloader.cachePath(e.sha256()));
      }
    } else {
      if (records == null) {
        records = readIndexes();
      }
      RepositoryFetcher fetcher = Fetchers.forUri(mirror().uri());
      List<DebDownloader.Request> requests = new ArrayList<>();
      for (Entry e : chosen) {
        PackageRecord p =
            records.stream()
                .filter(r -> r.sha256().equals(e.sha256()))
                .findFirst()
                .orElseThrow(
                    () ->
                        new BenchException(
                            e.name()
                                + " "
                                + e.version()
                                + " is no longer in the "
                                + SUITE
                                + " index; delete "
                                + catalogFile
                                + " and run again"));
        requests.add(new DebDownloader.Request(p, fetcher));
      }
      Map<PackageRecord, Path> got = downloader.downloadAll(requests);
      got.forEach((p, path) -> debs.put(p.name(), path));
    }
    DebUnpacker unpacker = new DebUnpacker(cacheRoot);
    Files.createDirectories(dest);
    Map<String, Path> dirs = new LinkedHashMap<>();
    for (Entry e : chosen) {
      UnpackedDeb unpacked = unpacker.unpack(debs.get(e.name()), e.sha256());
      Path target = dest.resolve(e.name());
      Files.createDirectories(target);
      proc.run(
              List.of("cp", "-a", "--", unpacked.tree().toString() + "/.", target.toString()),
              Duration.ofMinutes(10))
          .ok();
      dirs.put(e.name(), target);
    }
    long bytes = Fs.regularFileBytes(dest);
    return new Built(dest, chosen, dirs, bytes);
  }

  /**
   * Reads the indexes and downloads {@code chosen} into an empty {@code cacheRoot}: the download
   * row's rig side (network and mirror bound).
   */
  void fetchCold(List<Entry> chosen, Path emptyCache) throws IOException {
    List<PackageRecord> records = readIndexes();
    RepositoryFetcher fetcher = Fetchers.forUri(mirror().uri());
    List<DebDownloader.Request> requests = new ArrayList<>();
    for (Entry e : chosen) {
      records.stream()
          .filter(r -> r.sha256().equals(e.sha256()))
          .findFirst()
          .ifPresent(p -> requests.add(new DebDownloader.Request(p, fetcher)));
    }
    new DebDownloader(emptyCache, 4, DownloadListener.NONE).downloadAll(requests);
  }

  private void onDownload(DownloadEvent event) {
    if (event instanceof DownloadEvent.Started s) {
      log.println("  fetching " + s.pkg().name() + " (" + Table.mb(s.expectedBytes()) + ")");
    } else if (event instanceof DownloadEvent.Failed f) {
      log.println("  failed " + f.pkg().name() + ": " + f.message());
    }
  }

  /** The machine's Debian mirror: the first deb source serving a {@code .../debian} archive. */
  static SourceEntry mirror() throws IOException {
    return AptSources.readSystem(Path.of("/etc/apt")).stream()
        .filter(e -> e.type().equals("deb"))
        .filter(e -> e.components().contains("main"))
        .filter(e -> stripSlash(e.uri().getPath()).endsWith("/debian"))
        .findFirst()
        .orElseThrow(
            () ->
                new BenchException(
                    "no Debian archive (a deb source whose URI ends in /debian, component main) in"
                        + " /etc/apt/sources.list or sources.list.d; rig-bench uses the machine's"
                        + " mirror for "
                        + SUITE));
  }

  private static String stripSlash(String path) {
    String p = path == null ? "" : path;
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  /** The newest record of each wanted package in trixie main + non-free, signatures checked. */
  private List<PackageRecord> readIndexes() throws IOException {
    if (!Files.isRegularFile(KEYRING)) {
      throw new BenchException(KEYRING + " is missing; apt-get install debian-archive-keyring");
    }
    SourceEntry mirror = mirror();
    log.println("  reading the " + SUITE + " indexes (" + String.join("+", COMPONENTS) + ")");
    SuiteReader reader =
        new SuiteReader(Fetchers.forUri(mirror.uri()), SUITE, Keyring.read(KEYRING));
    ReleaseFile release = reader.release();
    String arch = debianArch();
    List<PackageRecord> all = new ArrayList<>();
    for (String component : COMPONENTS) {
      all.addAll(reader.packages(release, component, arch));
    }
    Universe universe = Universe.of(arch, all);
    List<PackageRecord> out = new ArrayList<>();
    for (String name : PACKAGES) {
      List<PackageRecord> versions = universe.versions(name);
      if (versions.isEmpty()) {
        log.println("  note: " + name + " is not in " + SUITE + "; left out");
        continue;
      }
      out.add(versions.get(0));
    }
    if (out.isEmpty()) {
      throw new BenchException("none of the CUDA packages is in " + SUITE + " " + COMPONENTS);
    }
    return out;
  }

  static String debianArch() {
    String arch = System.getProperty("os.arch");
    return switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64" -> "arm64";
      default -> arch;
    };
  }
}
