package dev.rig.registry;

import dev.rig.oci.cache.BlobCache;
import dev.rig.oci.cache.LayerBuilder;
import dev.rig.oci.compress.Compression;
import dev.rig.oci.event.OciEventListener;
import dev.rig.oci.image.AssembledImage;
import dev.rig.oci.image.BuiltLayer;
import dev.rig.oci.image.ImageAssembler;
import dev.rig.oci.image.ImageConfig;
import dev.rig.oci.layer.Content;
import dev.rig.oci.layer.LayerEntry;
import dev.rig.oci.layer.LayerInput;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/** Small images built with rig-oci, from seeded random bytes so each layer is distinct. */
final class TestImages {
  private static final Instant SDE = Instant.ofEpochSecond(1700000000L);
  private final LayerBuilder builder;

  TestImages(Path cacheDir) throws IOException {
    builder =
        new LayerBuilder(
            BlobCache.open(cacheDir, OciEventListener.NONE), SDE, OciEventListener.NONE);
  }

  /** A layer holding one file of {@code size} random (incompressible) bytes. */
  BuiltLayer layer(String name, int size, long seed) throws IOException {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return builder.build(
        LayerInput.builder("rig test: " + name)
            .add(LayerEntry.file("/data/" + name, Content.ofBytes(bytes), 0644, 0, 0))
            .build(),
        Compression.GZIP);
  }

  static AssembledImage image(String label, List<BuiltLayer> layers) {
    ImageConfig config =
        ImageConfig.builder(SDE).env(List.of("PATH=/bin", "LABEL=" + label)).build();
    return ImageAssembler.assemble(Optional.empty(), layers, config);
  }
}
