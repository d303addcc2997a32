package dev.rig.apt.dpkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.apt.deb.DebUnpacker;
import dev.rig.apt.deb.ExcludeOptions;
import dev.rig.apt.deb.IdMap;
import dev.rig.apt.deb.TestDebs;
import dev.rig.apt.deb.UnpackedDeb;
import dev.rig.oci.layer.Content;
import dev.rig.oci.layer.LayerEntry;
import dev.rig.testkit.Exec;
import dev.rig.testkit.Tools;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated dpkg database, checked by the real dpkg-query and dpkg --verify. */
class DpkgDatabaseTest {
  static final String BASE_STATUS =
      """
      Package: zz-base
      Status: install ok installed
      Priority: required
      Architecture: amd64
      Version: 1
      Description: from the base image

      Package: goodpkg
      Status: install ok installed
      Architecture: amd64
      Multi-Arch: same
      Version: 0.9
      Description: the old version, replaced
      """;

  @Test
  void dpkgSeesPackagesAsInstalledAndVerifiesTheirFiles(@TempDir Path dir) throws IOException {
    Tools.require("dpkg-query", "dpkg");
    Path deb = TestDebs.good(dir, "goodpkg", "xz");
    UnpackedDeb u = new DebUnpacker(dir.resolve("cache")).unpack(deb);
    InstalledPackage pkg = InstalledPackage.of(u, ExcludeOptions.NONE);
    assertEquals("goodpkg:amd64", pkg.infoName());
    DpkgDatabase db = DpkgDatabase.of(BASE_STATUS, List.of(pkg));

    String status = db.statusText();
    assertEquals(status, DpkgDatabase.of(BASE_STATUS, List.of(pkg)).statusText());
    assertTrue(status.startsWith("Package: goodpkg\nStatus: install ok installed\n"), status);
    assertTrue(
        status.contains("\nConffiles:\n /etc/goodpkg.conf " + md5("setting=1\n") + "\n"), status);
    assertTrue(
        status.contains("Description: test package\n with a long description\n .\n"), status);
    assertTrue(status.contains("\n\nPackage: zz-base\n"), status);
    assertTrue(!status.contains("0.9"), "the base's goodpkg is replaced");

    Map<String, LayerEntry> entries =
        db.entries().stream().collect(Collectors.toMap(LayerEntry::path, Function.identity()));
    String info = "/var/lib/dpkg/info/goodpkg:amd64";
    assertEquals(0755, entries.get(info + ".postinst").mode());
    assertEquals("/etc/goodpkg.conf\n", text(entries.get(info + ".conffiles")));
    assertTrue(text(entries.get(info + ".list")).startsWith("/.\n/etc\n"));
    assertTrue(text(entries.get(info + ".md5sums")).contains("usr/bin/tool"));
    assertEquals("", text(entries.get("/var/lib/dpkg/available")));

    ImageAptSources sources =
        new ImageAptSources(
            List.of(
                new ImageAptSources.Repository(
                    "test",
                    URI.create("http://127.0.0.1:1/debian"),
                    List.of("rigtest"),
                    List.of("main"),
                    new byte[] {(byte) 0x99, 1, 2})));
    assertEquals(
        "Types: deb\nURIs: http://127.0.0.1:1/debian\nSuites: rigtest\nComponents: main\n"
            + "Signed-By: /etc/apt/keyrings/rig-test.gpg\n",
        sources.sourcesText());

    Path root = Files.createDirectories(dir.resolve("rootfs"));
    List<LayerEntry> all = new ArrayList<>(u.layerEntries(IdMap.ROOT_ONLY, ExcludeOptions.NONE));
    all.addAll(db.entries());
    all.addAll(sources.entries());
    Rootfs.materialise(all, root);
    assertTrue(Files.isRegularFile(root.resolve("etc/apt/keyrings/rig-test.gpg")));

    String admin = root.resolve("var/lib/dpkg").toString();
    Exec.Result w =
        dpkg(
            List.of(
                "dpkg-query",
                "--admindir=" + admin,
                "-W",
                "-f",
                "${db:Status-Abbrev}${Package} ${Version}\\n"));
    assertEquals("ii goodpkg 1.0\nii zz-base 1\n", w.stdout());
    Exec.Result l = dpkg(List.of("dpkg", "--root=" + root, "-l"));
    assertTrue(
        l.stdout().lines().anyMatch(s -> s.matches("ii +goodpkg:amd64 +1\\.0 +amd64 .*")),
        l.stdout());
    Exec.Result files = dpkg(List.of("dpkg-query", "--admindir=" + admin, "-L", "goodpkg"));
    assertTrue(files.stdout().lines().anyMatch("/usr/bin/tool-hard"::equals), files.stdout());
    // md5sums and conffile hashes agree with the files as a runtime would extract them.
    Exec.Result verify = dpkg(List.of("dpkg", "--root=" + root, "--verify", "goodpkg"));
    assertEquals("", verify.stdout());
  }

  private static Exec.Result dpkg(List<String> cmd) {
    return Exec.run(cmd, Map.of("LC_ALL", "C", "COLUMNS", "200"), null, Duration.ofMinutes(1)).ok();
  }

  private static String text(LayerEntry e) throws IOException {
    return new String(((Content.Bytes) e.content()).bytes(), StandardCharsets.UTF_8);
  }

  static String md5(String s) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("MD5")
                  .digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
