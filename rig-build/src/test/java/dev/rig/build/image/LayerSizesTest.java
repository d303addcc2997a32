package dev.rig.build.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rig.oci.layer.Content;
import dev.rig.oci.layer.LayerEntry;
import dev.rig.oci.layer.LayerInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerSizesTest {
  @TempDir Path temp;

  private static LayerInput layer(String name, LayerEntry... entries) {
    return LayerInput.builder(name).addAll(List.of(entries)).build();
  }

  @Test
  void countsFileContentOnly() throws IOException {
    Path file = Files.write(temp.resolve("f"), new byte[1234]);
    LayerInput input =
        layer(
            "l",
            LayerEntry.directory("/d", 0755, 0, 0),
            LayerEntry.file("/d/f", Content.ofFile(file), 0644, 0, 0),
            LayerEntry.file("/d/g", Content.ofBytes(new byte[10]), 0644, 0, 0),
            LayerEntry.symlink("/d/s", "f", 0, 0));
    assertEquals(1244, LayerSizes.estimate(input));
  }

  @Test
  void largestFirstAndEqualSizesKeepTheirOrder() {
    LayerInput small =
        layer("small", LayerEntry.file("/a", Content.ofBytes(new byte[1]), 0644, 0, 0));
    LayerInput big =
        layer("big", LayerEntry.file("/a", Content.ofBytes(new byte[100]), 0644, 0, 0));
    LayerInput empty = layer("empty", LayerEntry.directory("/d", 0755, 0, 0));
    assertEquals(
        List.of(1, 3, 0, 2, 4), LayerSizes.largestFirst(List.of(small, big, empty, big, empty)));
  }

  @Test
  void aMissingFileCountsAsEmpty() {
    LayerInput gone =
        layer("gone", LayerEntry.file("/x", Content.ofFile(temp.resolve("missing")), 0644, 0, 0));
    assertEquals(0, LayerSizes.estimate(gone));
  }
}
