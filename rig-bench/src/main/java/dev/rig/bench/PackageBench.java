package dev.rig.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.apt.control.PackageRecord;
import dev.rig.apt.deb.DebDownloader;
import dev.rig.apt.deb.DownloadListener;
import dev.rig.apt.repo.Fetchers;
import dev.rig.apt.repo.RepositoryFetcher;
import dev.rig.bench.Table.Row;
import dev.rig.bench.Table.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.zip.GZIPInputStream;

/**
 * The package rows: a small Debian image (python3 and sshd under rig-init, docs, man pages and
 * locales dropped) built cold by rig, beside mmdebstrap + umoci building the same package list from
 * the same mirror; the same .debs fetched by rig-apt and by {@code apt-get download}; and the two
 * images' sizes. Everything here goes to the machine's mirror, so it is network bound.
 */
final class PackageBench {
  static final String IMAGE = "bench-ssh";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What rig's slim options drop, as dpkg path excludes for mmdebstrap. */
  private static final List<String> SLIM_EXCLUDES =
      List.of("/usr/share/doc/*", "/usr/share/man/*", "/usr/share/locale/*");

  /** The built image, for the start row. */
  record Built(Path spec, Path dockerArchive, int sshPort) {}

  private final Path dir;
  private final Path rig;
  private final Proc proc;
  private final PrintStream log;
  private final Duration timeout;

  PackageBench(Path dir, Path rig, Proc proc, PrintStream log, Duration timeout) {
    this.dir = dir;
    this.rig = rig;
    this.proc = proc;
    this.log = log;
    this.timeout = timeout;
  }

  Built run(Table table) throws IOException {
    Files.createDirectories(dir);
    int port = dev.rig.testkit.LocalRegistry.freePort();
    Path spec = dir.resolve("rig.yaml");
    Files.writeString(spec, spec(port));
    Path cache = dir.resolve("cache");
    Path layout = dir.resolve("out");
    log.println("rig-bench: packages: rig cold build of " + IMAGE + " (indexes, .debs, layers)");
    double rigCold =
        proc.run(RigBuild.command(rig, spec, cache, "oci:" + layout), timeout).ok().seconds();
    Path archive = dir.resolve("image.tar");
    proc.run(RigBuild.command(rig, spec, cache, "docker-archive:" + archive), timeout).ok();
    JsonNode lock = JSON.readTree(dir.resolve("rig.lock").toFile()).path("images").path(IMAGE);
    List<String> top = new ArrayList<>();
    lock.path("input").path("packages").forEach(p -> top.add(p.asText()));
    List<JsonNode> locked = new ArrayList<>();
    lock.path("packages").forEach(locked::add);
    long debBytes = locked.stream().mapToLong(p -> p.path("size").asLong()).sum();

    log.println("rig-bench: packages: rig-apt download of the " + locked.size() + " locked .debs");
    double rigDownload = rigDownload(locked);
    log.println("rig-bench: packages: apt-get download of the same .debs");
    double aptDownload = aptDownload(locked);

    log.println("rig-bench: packages: mmdebstrap + umoci, same package list");
    Peer peer = mmdebstrapUmoci(top);

    long rigGzip = Bench.layerBytes(layout);
    long rigRaw = rawLayerBytes(layout);
    table.add(
        new Row(
            "package image, cold (" + String.join(" ", top) + ": " + locked.size() + " .debs)",
            OptionalDouble.of(rigCold),
            "indexes, download, layers",
            OptionalDouble.of(peer.seconds()),
            String.format(
                java.util.Locale.ROOT,
                "mmdebstrap %.1f s + umoci insert %.1f s",
                peer.mmdebstrap(),
                peer.umoci()),
            "",
            Verdict.NONE));
    table.add(
        new Row(
            "download the package image's .debs",
            OptionalDouble.of(rigDownload),
            Table.mb(debBytes) + ", " + Table.rate(debBytes, rigDownload),
            OptionalDouble.of(aptDownload),
            "apt-get download (indexes fetched before), " + Table.rate(debBytes, aptDownload),
            "",
            Verdict.NONE));
    table.add(
        new Row(
            "package image size (slim: no docs, man, locales)",
            OptionalDouble.empty(),
            "raw " + Table.mb(rigRaw) + ", gzip " + Table.mb(rigGzip),
            OptionalDouble.empty(),
            "mmdebstrap rootfs: raw "
                + Table.mb(peer.rawBytes())
                + ", gzip "
                + Table.mb(peer.gzipBytes()),
            "",
            Verdict.NONE));
    Fs.deleteTree(layout);
    return new Built(spec, archive, port);
  }

  static String spec(int sshPort) {
    return "# Written by rig-bench: a small package image with sshd under rig-init.\n"
        + "images:\n"
        + "  "
        + IMAGE
        + ":\n"
        + "    packages: [python3]\n"
        + "    slim: { docs: true, manPages: true, locales: true }\n"
        + "    environment: { core: false, network: false, shell: false }\n"
        + "    cuda: { enable: false }\n"
        // Loopback only, on a port nothing else uses: the container shares the host's network.
        + "    runtime: { sshd: { port: "
        + sshPort
        + ", listenAddress: 127.0.0.1 } }\n";
  }

  /** rig-apt fetching the locked .debs into an empty cache, as a build does (4 at a time). */
  private double rigDownload(List<JsonNode> locked) throws IOException {
    Path empty = dir.resolve("download-rig");
    RepositoryFetcher fetcher = Fetchers.forUri(CudaTree.mirror().uri());
    List<DebDownloader.Request> requests = new ArrayList<>();
    for (JsonNode p : locked) {
      PackageRecord record =
          PackageRecord.forDownload(
              p.path("name").asText(),
              p.path("version").asText(),
              p.path("architecture").asText(),
              p.path("filename").asText(),
              p.path("size").asLong(),
              p.path("sha256").asText());
      requests.add(new DebDownloader.Request(record, fetcher));
    }
    long start = System.nanoTime();
    new DebDownloader(empty, 4, DownloadListener.NONE).downloadAll(requests);
    double seconds = (System.nanoTime() - start) / 1e9;
    Fs.deleteTree(empty);
    return seconds;
  }

  private double aptDownload(List<JsonNode> locked) throws IOException {
    Path apt = dir.resolve("download-apt");
    Path debs = Files.createDirectories(apt.resolve("debs"));
    AptGet aptGet = AptGet.prepare(apt, CudaTree.SUITE, List.of("main"));
    proc.run(aptGet.update(), java.util.Map.of(), apt, timeout).ok();
    List<String> wanted = new ArrayList<>();
    for (JsonNode p : locked) {
      wanted.add(p.path("name").asText() + "=" + p.path("version").asText());
    }
    double seconds =
        proc.run(aptGet.download(wanted), java.util.Map.of(), debs, timeout).ok().seconds();
    Fs.deleteTree(apt);
    return seconds;
  }

  record Peer(double mmdebstrap, double umoci, long rawBytes, long gzipBytes) {
    double seconds() {
      return mmdebstrap + umoci;
    }
  }

  /**
   * mmdebstrap installs Essential packages plus the same top-level list (no recommends, as rig)
   * into a directory, dropping what rig's slim options drop; umoci then makes it one OCI layer.
   */
  private Peer mmdebstrapUmoci(List<String> top) throws IOException {
    Path root = dir.resolve("mmdebstrap-root");
    List<String> mm = new ArrayList<>();
    mm.add("mmdebstrap");
    // As root the plain chroot mode works; otherwise user namespaces.
    mm.add("root".equals(System.getProperty("user.name")) ? "--mode=root" : "--mode=unshare");
    mm.add("--variant=essential");
    mm.add("--components=main");
    mm.add("--keyring=" + CudaTree.KEYRING);
    mm.add("--include=" + String.join(",", top));
    mm.add("--aptopt=APT::Install-Recommends \"false\"");
    for (String exclude : SLIM_EXCLUDES) {
      mm.add("--dpkgopt=path-exclude=" + exclude);
    }
    // update-alternatives links man pages into man1; the directory must exist even when empty.
    mm.add("--essential-hook=mkdir -p \"$1/usr/share/man/man1\"");
    mm.add("--format=directory");
    mm.add("--quiet");
    mm.add(CudaTree.SUITE);
    mm.add(root.toString());
    mm.add(CudaTree.mirror().uri().toString());
    double mmSeconds = proc.run(mm, timeout).ok().seconds();

    Path layout = dir.resolve("umoci");
    String image = "oci:" + layout + ":img";
    long start = System.nanoTime();
    proc.run(List.of("umoci", "init", "--layout", layout.toString()), timeout).ok();
    proc.run(List.of("umoci", "new", "--image", layout + ":img"), timeout).ok();
    proc.run(List.of("umoci", "insert", "--image", layout + ":img", root.toString(), "/"), timeout)
        .ok();
    double umociSeconds = (System.nanoTime() - start) / 1e9;
    long gzip = Bench.layerBytes(layout);
    long raw = rawLayerBytes(layout);
    log.println("  " + image + ": " + Table.mb(gzip) + " gzip");
    Fs.deleteTree(layout);
    Fs.deleteTree(root);
    return new Peer(mmSeconds, umociSeconds, raw, gzip);
  }

  /** Uncompressed size of an OCI layout's layers (gzip ones: rig's default and umoci's). */
  static long rawLayerBytes(Path layout) throws IOException {
    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    String digest = index.path("manifests").path(0).path("digest").asText();
    Path manifest = layout.resolve("blobs").resolve(digest.replace(':', '/'));
    long total = 0;
    for (JsonNode layer : JSON.readTree(manifest.toFile()).path("layers")) {
      Path blob = layout.resolve("blobs").resolve(layer.path("digest").asText().replace(':', '/'));
      try (InputStream in = new GZIPInputStream(Files.newInputStream(blob), 1 << 16)) {
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
          total += n;
        }
      }
    }
    return total;
  }
}
