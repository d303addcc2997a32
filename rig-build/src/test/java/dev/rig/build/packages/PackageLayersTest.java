package dev.rig.build.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.build.packages.InstalledSystem.InstalledPackage;
import dev.rig.oci.layer.LayerEntry;
import dev.rig.oci.layer.LayerInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layers per source package, largest first, under the budget, with the configuration on top. */
class PackageLayersTest {
  @TempDir Path root;

  private InstalledSystem system() throws Exception {
    Files.createDirectories(root.resolve("usr/bin"));
    Files.createDirectories(root.resolve("etc"));
    Files.createDirectories(root.resolve("var/mail"));
    Files.setAttribute(root.resolve("var/mail"), "unix:mode", 02775);
    Files.write(root.resolve("usr/bin/big"), new byte[30_000]);
    Files.write(root.resolve("usr/bin/mid"), new byte[20_000]);
    Files.write(root.resolve("usr/bin/small"), new byte[10]);
    Files.writeString(root.resolve("etc/small.conf"), "edited by a script\n");
    Files.writeString(root.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
    Files.writeString(root.resolve("var/mail/.keep"), "");
    return new InstalledSystem(
        root,
        List.of(
            new InstalledPackage(
                "big", "1", "big-src", List.of("/usr", "/usr/bin", "/usr/bin/big"), Map.of()),
            new InstalledPackage(
                "mid", "1", "mid-src", List.of("/usr", "/usr/bin", "/usr/bin/mid"), Map.of()),
            new InstalledPackage(
                "small",
                "1",
                "small-src",
                List.of("/usr/bin/small", "/etc/small.conf", "/var/mail", "/var/mail/.keep"),
                Map.of("/etc/small.conf", "0".repeat(32)))));
  }

  private static List<String> paths(LayerInput layer) {
    return layer.entries().stream().map(LayerEntry::path).toList();
  }

  /**
   * A finished stage's root holds fewer packages than the image; the layer of a source it installed
   * is the image's layer for that source, entry for entry.
   */
  @Test
  void aStagesOwnLayersAreTheImagesLayersOfThoseSources() throws Exception {
    InstalledSystem image = system();
    InstalledSystem stage =
        new InstalledSystem(
            root, image.packages().stream().filter(p -> !p.name().equals("small")).toList());
    List<LayerInput> ahead = PackageLayers.ownLayers(stage, java.util.Set.of("big-src", "mid-src"));
    List<LayerInput> layers = PackageLayers.split(image, 10, List.of());
    assertEquals(2, ahead.size());
    assertEquals(layers.get(0).entries(), ahead.get(0).entries());
    assertEquals(layers.get(1).entries(), ahead.get(1).entries());
    assertEquals(layers.get(0).createdBy(), ahead.get(0).createdBy());
  }

  /** The estimate ranks as the split does: largest first, ties by name, two slots kept back. */
  @Test
  void likelyOwnSourcesFollowTheSplitsRanking() {
    Map<String, Long> sizes = Map.of("a", 5L, "b", 50L, "c", 50L, "d", 1L);
    assertEquals(List.of("b", "c", "a", "d"), PackageLayers.likelyOwnSources(sizes, 5));
    assertEquals(List.of("b", "c"), PackageLayers.likelyOwnSources(sizes, 4));
    assertEquals(List.of(), PackageLayers.likelyOwnSources(sizes, 1));
  }

  @Test
  void eachSourceGetsALayerAndScriptChangesGoOnTop() throws Exception {
    List<LayerInput> layers = PackageLayers.split(system(), 10, List.of());
    assertEquals(4, layers.size());
    assertTrue(layers.get(0).createdBy().contains("big-src"), layers.get(0).createdBy());
    assertTrue(layers.get(1).createdBy().contains("mid-src"));
    assertTrue(layers.get(2).createdBy().contains("small-src"));
    assertTrue(paths(layers.get(0)).contains("/usr/bin/big"));
    // A conffile whose bytes differ from the package's checksum belongs with the configuration.
    assertTrue(paths(layers.get(3)).containsAll(List.of("/etc/passwd", "/etc/small.conf")));
    // Directories keep their real mode in the layer that holds them.
    LayerEntry mail =
        layers.get(2).entries().stream()
            .filter(e -> e.path().equals("/var/mail"))
            .findFirst()
            .orElseThrow();
    assertEquals(02775, mail.mode());
  }

  @Test
  void smallSourcesShareALayerWhenTheBudgetIsShort() throws Exception {
    List<LayerInput> layers = PackageLayers.split(system(), 3, List.of());
    assertEquals(3, layers.size());
    assertTrue(layers.get(0).createdBy().contains("big-src"));
    assertTrue(layers.get(1).createdBy().contains("2 more sources"), layers.get(1).createdBy());
    assertTrue(paths(layers.get(1)).containsAll(List.of("/usr/bin/mid", "/usr/bin/small")));
    assertEquals(1, PackageLayers.split(system(), 1, List.of()).size());
  }
}
