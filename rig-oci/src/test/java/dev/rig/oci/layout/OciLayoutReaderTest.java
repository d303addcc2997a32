package dev.rig.oci.layout;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.oci.Fixtures;
import dev.rig.oci.OciException;
import dev.rig.oci.cache.BlobCache;
import dev.rig.oci.cache.LayerBuilder;
import dev.rig.oci.compress.Compression;
import dev.rig.oci.event.OciEventListener;
import dev.rig.oci.image.AssembledImage;
import dev.rig.oci.image.ImageAssembler;
import dev.rig.oci.image.ImageConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutReaderTest {
  @TempDir Path temp;
  private Path layout;
  private AssembledImage image;

  @BeforeEach
  void setUp() throws IOException {
    LayerBuilder builder =
        new LayerBuilder(
            BlobCache.open(temp.resolve("cache"), OciEventListener.NONE),
            Instant.EPOCH,
            OciEventListener.NONE);
    image =
        ImageAssembler.assemble(
            Optional.empty(),
            List.of(builder.build(Fixtures.sample(), Compression.GZIP)),
            ImageConfig.builder(Instant.EPOCH).build());
    layout = temp.resolve("layout");
    new OciLayoutWriter(OciEventListener.NONE)
        .write(layout, List.of(new TaggedImage("a:1", image), new TaggedImage("b:1", image)));
  }

  private static void assertFails(String expected, Executable action) {
    OciException e = assertThrows(OciException.class, action);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void missingLayoutPartsAreNamed() throws IOException {
    assertFails("does not exist", () -> OciLayoutReader.open(temp.resolve("nope")));
    Path empty = Files.createDirectories(temp.resolve("empty"));
    assertFails("no oci-layout file", () -> OciLayoutReader.open(empty));
    Files.delete(layout.resolve("index.json"));
    assertFails("has no index.json", () -> OciLayoutReader.open(layout));
  }

  @Test
  void corruptIndexIsReported() throws IOException {
    Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,");
    assertFails("index.json is invalid", () -> OciLayoutReader.open(layout));
  }

  @Test
  void unknownAndAmbiguousRefsAreReported() throws IOException {
    OciLayoutReader reader = OciLayoutReader.open(layout);
    assertFails("no image named 'c:1'", () -> reader.image("c:1"));
    assertFails("it has [a:1, b:1]", () -> reader.image("zzz"));
    // "1" matches a:1 and b:1, which are the same image: not ambiguous.
    reader.image("1");
    assertFails("holds 2 images", () -> reader.image(""));
  }

  @Test
  void missingOrCorruptBlobsAreReported() throws IOException {
    Path config = layout.resolve("blobs/sha256/" + image.configDescriptor().digest().hex());
    byte[] bytes = Files.readAllBytes(config);
    bytes[0] ^= 1;
    Files.write(config, bytes);
    assertFails("is corrupt", () -> OciLayoutReader.open(layout).image("a:1"));
    Files.delete(config);
    assertFails("is missing", () -> OciLayoutReader.open(layout).image("a:1"));
    Path layer = layout.resolve("blobs/sha256/" + image.layers().get(0).blob().digest().hex());
    Files.delete(layer);
    Files.write(layer, new byte[3]);
    Files.write(config, image.configJson());
    assertFails("truncated or corrupt", () -> OciLayoutReader.open(layout).image("a:1"));
  }

  @Test
  void writerRefusesADirectoryThatIsNotALayout() throws IOException {
    Path other = Files.createDirectories(temp.resolve("other"));
    Files.writeString(other.resolve("precious.txt"), "keep me");
    assertFails(
        "not empty and has no oci-layout",
        () ->
            new OciLayoutWriter(OciEventListener.NONE)
                .write(other, List.of(new TaggedImage("x", image))));
  }
}
