package dev.rig.apt.dpkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.apt.control.PackageRecord;
import dev.rig.apt.deb.DebDownloader;
import dev.rig.apt.deb.DebUnpacker;
import dev.rig.apt.deb.DownloadEvent;
import dev.rig.apt.deb.ExcludeOptions;
import dev.rig.apt.deb.IdMap;
import dev.rig.apt.deb.UnpackedDeb;
import dev.rig.apt.repo.AptSources;
import dev.rig.apt.repo.Fetchers;
import dev.rig.apt.repo.RepositoryFetcher;
import dev.rig.apt.repo.SourceEntry;
import dev.rig.apt.repo.SuiteReader;
import dev.rig.apt.resolve.Request;
import dev.rig.apt.resolve.Resolution;
import dev.rig.apt.resolve.ResolveOptions;
import dev.rig.apt.resolve.Resolver;
import dev.rig.apt.resolve.Universe;
import dev.rig.oci.layer.LayerEntry;
import dev.rig.testkit.Exec;
import dev.rig.testkit.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole package path against this machine's configured Debian mirror (read from /etc/apt):
 * verified index, resolve, download, unpack, dpkg database; then real dpkg-query reads the result
 * and must list every package as installed ("ii").
 */
class LiveDebianInstallTest {
  static final List<String> REQUEST = List.of("netbase", "media-types", "sensible-utils");

  @Test
  void resolvesDownloadsUnpacksAndRegistersRealPackages(@TempDir Path dir) throws IOException {
    Tools.require("dpkg-query", "dpkg");
    SourceEntry entry =
        AptSources.readSystem(Path.of("/etc/apt")).stream()
            .filter(e -> e.type().equals("deb") && e.signedBy().isPresent())
            .filter(e -> e.uri().getScheme().startsWith("http"))
            .filter(e -> e.components().contains("main"))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("no signed http deb source with main in /etc/apt"));
    SuiteReader reader = Fetchers.reader(entry);
    SuiteReader.Index index = reader.index(reader.release(), "main", "amd64");
    Resolution resolution =
        new Resolver(Universe.of("amd64", index.packages()), ResolveOptions.DEFAULT)
            .resolve(REQUEST.stream().map(Request::parse).toList());
    assertEquals(
        REQUEST.stream().sorted().toList(),
        resolution.packages().stream().map(PackageRecord::name).toList(),
        "these packages have no dependencies outside themselves");

    RepositoryFetcher fetcher = Fetchers.forUri(entry.uri());
    Path cache = dir.resolve("cache");
    List<DownloadEvent> events = Collections.synchronizedList(new ArrayList<>());
    Map<PackageRecord, Path> debs =
        new DebDownloader(cache, 4, events::add)
            .downloadAll(
                resolution.packages().stream()
                    .map(p -> new DebDownloader.Request(p, fetcher))
                    .toList());
    assertEquals(3, events.stream().filter(e -> e instanceof DownloadEvent.Finished).count());

    DebUnpacker unpacker = new DebUnpacker(cache);
    List<LayerEntry> layer = new ArrayList<>();
    List<InstalledPackage> installed = new ArrayList<>();
    for (PackageRecord p : resolution.packages()) {
      UnpackedDeb u = unpacker.unpack(debs.get(p), p.sha256());
      layer.addAll(u.layerEntries(IdMap.ROOT_ONLY, ExcludeOptions.SLIM));
      installed.add(InstalledPackage.of(u, ExcludeOptions.SLIM));
    }
    DpkgDatabase db = DpkgDatabase.of("", installed);
    layer.addAll(db.entries());
    ImageAptSources sources =
        new ImageAptSources(
            List.of(
                new ImageAptSources.Repository(
                    "debian",
                    entry.uri(),
                    List.of(entry.suite()),
                    List.of("main"),
                    Files.readAllBytes(Path.of(entry.signedBy().get())))));
    layer.addAll(sources.entries());
    Path root = Files.createDirectories(dir.resolve("rootfs"));
    Rootfs.materialise(layer, root);
    assertTrue(Files.isRegularFile(root.resolve("etc/services")), "netbase's /etc/services");

    Exec.Result w =
        Exec.run(
                List.of(
                    "dpkg-query",
                    "--admindir=" + root.resolve("var/lib/dpkg"),
                    "-W",
                    "-f",
                    "${db:Status-Abbrev}${Package}\\n"),
                Map.of("LC_ALL", "C"),
                null,
                Duration.ofMinutes(1))
            .ok();
    assertEquals("ii media-types\nii netbase\nii sensible-utils\n", w.stdout());
    Exec.Result l =
        Exec.run(
                List.of("dpkg", "--root=" + root, "-l", "netbase"),
                Map.of("LC_ALL", "C", "COLUMNS", "200"),
                null,
                Duration.ofMinutes(1))
            .ok();
    assertTrue(l.stdout().lines().anyMatch(s -> s.startsWith("ii  netbase ")), l.stdout());
  }
}
