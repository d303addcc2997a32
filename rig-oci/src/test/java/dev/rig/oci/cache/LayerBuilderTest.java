package dev.rig.oci.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.oci.Fixtures;
import dev.rig.oci.OciException;
import dev.rig.oci.compress.Compression;
import dev.rig.oci.digest.Digest;
import dev.rig.oci.event.OciEvent;
import dev.rig.oci.event.OciEventListener;
import dev.rig.oci.image.BuiltLayer;
import dev.rig.oci.image.ImageAssembler;
import dev.rig.oci.image.ImageConfig;
import dev.rig.oci.layer.LayerInput;
import dev.rig.oci.layout.OciLayoutWriter;
import dev.rig.oci.layout.TaggedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerBuilderTest {
  @TempDir Path temp;
  private Path cacheRoot;
  private Path hostDir;
  private final List<OciEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    cacheRoot = temp.resolve("cache");
    hostDir = Files.createDirectories(temp.resolve("src"));
    Files.writeString(hostDir.resolve("app.py"), "print('hello')\n");
    Files.createDirectories(hostDir.resolve("lib"));
    Files.write(hostDir.resolve("lib/data.bin"), new byte[100_000]);
  }

  private LayerBuilder builder(boolean verifyHits) throws IOException {
    OciEventListener listener = events::add;
    return new LayerBuilder(
        BlobCache.open(cacheRoot, listener), Instant.EPOCH, verifyHits, listener);
  }

  private LayerInput input() throws IOException {
    return LayerInput.builder("rig: app")
        .addAll(Fixtures.sampleEntries())
        .addHostTree(hostDir, "/srv/app", OptionalInt.empty(), 0, 0)
        .build();
  }

  private <T extends OciEvent> long count(Class<T> type) {
    return events.stream().filter(type::isInstance).count();
  }

  @Test
  void aLayerNeverSeenIsTarredHashedAndCompressedInOnePass() throws IOException {
    LayerBuilder builder = builder(false);
    BuiltLayer layer = builder.build(input(), Compression.GZIP);
    assertEquals(
        new LayerWork(0, 1, 1, 0, layer.uncompressedSize(), layer.blob().size()), builder.work());
    assertEquals(Compression.GZIP.ociMediaType(), layer.blob().mediaType());
    assertEquals(layer.blob().digest(), Digest.of(Files.readAllBytes(layer.blobPath())));
    assertEquals(1, count(OciEvent.LayerCompressed.class));
  }

  @Test
  void rebuildWithNothingChangedDoesNoTarOrCompressionWork() throws IOException {
    BuiltLayer first = builder(false).build(input(), Compression.GZIP);
    events.clear();
    LayerBuilder again = builder(false);
    BuiltLayer second = again.build(input(), Compression.GZIP);
    // The same layer, but only the first build hashed the blob as it wrote it: an export of the
    // cache hit checks the blob again.
    assertEquals(
        new BuiltLayer(
            first.blob(),
            first.diffId(),
            first.uncompressedSize(),
            first.createdBy(),
            first.blobPath(),
            false),
        second);
    assertTrue(first.hashedWhenWritten());
    assertEquals(new LayerWork(1, 0, 0, 0, 0, 0), again.work());
    assertEquals(1, events.size(), events.toString());
    assertTrue(events.get(0) instanceof OciEvent.LayerCacheHit);
  }

  @Test
  void touchedButUnchangedFilesReuseTheCompressedBlob() throws IOException {
    BuiltLayer first = builder(false).build(input(), Compression.GZIP);
    Files.setLastModifiedTime(hostDir.resolve("app.py"), FileTime.fromMillis(123_000));
    LayerBuilder again = builder(false);
    BuiltLayer second = again.build(input(), Compression.GZIP);
    assertEquals(first.blob(), second.blob());
    assertEquals(new LayerWork(0, 1, 0, 1, first.uncompressedSize(), 0), again.work());
  }

  @Test
  void changedContentMakesANewLayer() throws IOException {
    BuiltLayer first = builder(false).build(input(), Compression.GZIP);
    Files.writeString(hostDir.resolve("app.py"), "print('changed')\n");
    LayerBuilder again = builder(false);
    BuiltLayer second = again.build(input(), Compression.GZIP);
    assertNotEquals(first.diffId(), second.diffId());
    assertEquals(1, again.work().compressions());
  }

  @Test
  void eachCompressionIsCachedSeparatelyWithTheSameDiffId() throws IOException {
    LayerBuilder builder = builder(false);
    BuiltLayer gzip = builder.build(input(), Compression.GZIP);
    BuiltLayer zstd = builder.build(input(), Compression.ZSTD);
    assertEquals(gzip.diffId(), zstd.diffId());
    assertNotEquals(gzip.blob().digest(), zstd.blob().digest());
    assertEquals(Compression.ZSTD.ociMediaType(), zstd.blob().mediaType());
    LayerBuilder again = builder(false);
    again.build(input(), Compression.ZSTD);
    again.build(input(), Compression.GZIP);
    assertEquals(new LayerWork(2, 0, 0, 0, 0, 0), again.work());
  }

  @Test
  void sourceDateEpochChangesTheDiffId() throws IOException {
    BlobCache cache = BlobCache.open(cacheRoot, OciEventListener.NONE);
    BuiltLayer epoch0 =
        new LayerBuilder(cache, Instant.EPOCH, OciEventListener.NONE)
            .build(Fixtures.sample(), Compression.GZIP);
    BuiltLayer later =
        new LayerBuilder(cache, Instant.ofEpochSecond(1700000000L), OciEventListener.NONE)
            .build(Fixtures.sample(), Compression.GZIP);
    assertNotEquals(epoch0.diffId(), later.diffId());
    assertEquals(
        "sha256:459f1eb9ef90ca24909f3aac23db83de9e11f9d9daa21792d2f6ca651c86704f",
        epoch0.diffId().toString());
  }

  @Test
  void concurrentBuildersShareOneCacheSafely() throws Exception {
    List<LayerInput> inputs = new ArrayList<>();
    inputs.add(input());
    inputs.add(Fixtures.sample());
    inputs.add(new LayerInput(Fixtures.sampleEntries().subList(0, 3), "rig: small"));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<List<BuiltLayer>>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int seed = t;
        futures.add(
            pool.submit(
                () -> {
                  // A separate cache and builder instance per thread, as two JVMs would have.
                  LayerBuilder builder = builder(false);
                  List<Integer> order = new ArrayList<>(List.of(0, 1, 2));
                  Collections.rotate(order, seed);
                  List<BuiltLayer> built = java.util.Arrays.asList(new BuiltLayer[4]);
                  for (int i : order) {
                    built.set(i, builder.build(inputs.get(i), Compression.GZIP));
                  }
                  built.set(3, builder.build(inputs.get(seed % 3), Compression.ZSTD));
                  return built;
                }));
      }
      List<BuiltLayer> reference = futures.get(0).get();
      for (Future<List<BuiltLayer>> future : futures) {
        List<BuiltLayer> built = future.get();
        for (int i = 0; i < 3; i++) {
          // Which builder compressed a layer and which found it cached is up to the race.
          assertEquals(cached(reference.get(i)), cached(built.get(i)));
        }
      }
    } finally {
      pool.shutdown();
    }
    BlobCache cache = BlobCache.open(cacheRoot, OciEventListener.NONE);
    try (Stream<Path> files = Files.walk(cacheRoot)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertTrue(
            !file.getFileName().toString().startsWith(".tmp-"), "leftover temp file " + file);
        if (file.getParent().endsWith(Path.of("blobs", "sha256"))) {
          Digest digest = new Digest("sha256", file.getFileName().toString());
          assertTrue(cache.verify(new CachedBlob(digest, Files.size(file), file)), file.toString());
        }
      }
    }
  }

  /**
   * Threads of one builder asking for the same layer at once: it is tarred and compressed once, the
   * others wait for it and get its blob.
   */
  @Test
  void oneBuilderBuildsALayerOnceForThreadsAskingAtOnce() throws Exception {
    LayerBuilder builder = builder(false);
    LayerInput input = input();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<LayerBuilder.Outcome>> futures = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        futures.add(pool.submit(() -> builder.buildReporting(input, Compression.GZIP)));
      }
      List<LayerBuilder.Origin> origins = new ArrayList<>();
      for (Future<LayerBuilder.Outcome> future : futures) {
        origins.add(future.get().origin());
        assertEquals(
            futures.get(0).get().layer().blob().digest(), future.get().layer().blob().digest());
      }
      assertEquals(1, builder.work().compressions(), origins.toString());
      assertEquals(1, builder.work().tarPasses());
      assertEquals(1, origins.stream().filter(o -> o == LayerBuilder.Origin.BUILT).count());
    } finally {
      pool.shutdown();
    }
  }

  /**
   * A layer built ahead, on a narrow pool, is the layer asked for later: the same blob, compressed
   * once, reported as built (ahead), not as cached; asked for again, it is cached.
   */
  @Test
  void aLayerBuiltAheadIsReportedAsBuiltWhenAskedFor() throws IOException {
    LayerBuilder reference =
        new LayerBuilder(
            BlobCache.open(temp.resolve("reference"), OciEventListener.NONE),
            Instant.EPOCH,
            OciEventListener.NONE);
    BuiltLayer expected = reference.build(input(), Compression.GZIP);

    LayerBuilder builder = builder(false);
    try (dev.rig.oci.compress.CompressorPool narrow =
        dev.rig.oci.compress.CompressorPool.narrow("test-ahead", 1)) {
      LayerBuilder.Outcome ahead = builder.buildAhead(input(), Compression.GZIP, narrow);
      assertEquals(LayerBuilder.Origin.BUILT, ahead.origin());
    }
    LayerBuilder.Outcome asked = builder.buildReporting(input(), Compression.GZIP);
    assertEquals(LayerBuilder.Origin.BUILT, asked.origin());
    assertTrue(asked.ahead());
    assertEquals(expected.blob(), asked.layer().blob());
    assertEquals(expected.diffId(), asked.layer().diffId());
    assertEquals(1, builder.work().compressions());
    LayerBuilder.Outcome again = builder.buildReporting(input(), Compression.GZIP);
    assertEquals(LayerBuilder.Origin.CACHED, again.origin());
    assertTrue(!again.ahead());
  }

  @Test
  void truncatedBlobIsDetectedAndRebuilt() throws IOException {
    BuiltLayer first = builder(false).build(input(), Compression.GZIP);
    byte[] bytes = Files.readAllBytes(first.blobPath());
    Files.write(first.blobPath(), java.util.Arrays.copyOf(bytes, bytes.length / 2));
    events.clear();
    LayerBuilder again = builder(false);
    BuiltLayer second = again.build(input(), Compression.GZIP);
    assertEquals(first, second);
    assertEquals(1, count(OciEvent.CorruptCacheEntry.class));
    assertEquals(1, again.work().compressions());
    assertEquals(first.blob().digest(), Digest.of(Files.readAllBytes(second.blobPath())));
  }

  @Test
  void sameSizeCorruptionIsRebuiltWhenHitsAreVerified() throws IOException {
    BuiltLayer first = builder(false).build(input(), Compression.GZIP);
    flipLastByte(first.blobPath());
    LayerBuilder again = builder(true);
    BuiltLayer second = again.build(input(), Compression.GZIP);
    assertEquals(first, second);
    assertEquals(1, again.work().compressions());
    assertEquals(first.blob().digest(), Digest.of(Files.readAllBytes(second.blobPath())));
  }

  @Test
  void sameSizeCorruptionIsCaughtWhenCopiedOutAndRebuiltNextTime() throws IOException {
    BuiltLayer first = builder(false).build(input(), Compression.GZIP);
    flipLastByte(first.blobPath());
    BuiltLayer hit = builder(false).build(input(), Compression.GZIP);
    ImageConfig config = ImageConfig.builder(Instant.EPOCH).build();
    var image = ImageAssembler.assemble(Optional.empty(), List.of(hit), config);
    Path layout = temp.resolve("layout");
    OciException error =
        assertThrows(
            OciException.class,
            () ->
                new OciLayoutWriter(OciEventListener.NONE)
                    .write(layout, List.of(new TaggedImage("app:1", image))));
    assertTrue(error.getMessage().contains("corrupt"), error.getMessage());
    assertTrue(Files.notExists(first.blobPath()), "corrupt blob must be discarded");
    assertTrue(Files.notExists(layout.resolve("index.json")));
    LayerBuilder again = builder(false);
    BuiltLayer rebuilt = again.build(input(), Compression.GZIP);
    assertEquals(1, again.work().compressions());
    new OciLayoutWriter(OciEventListener.NONE)
        .write(
            layout,
            List.of(
                new TaggedImage(
                    "app:1", ImageAssembler.assemble(Optional.empty(), List.of(rebuilt), config))));
    assertTrue(Files.exists(layout.resolve("index.json")));
  }

  @Test
  void garbledCacheRecordsReadAsMisses() throws IOException {
    BuiltLayer first = builder(false).build(input(), Compression.GZIP);
    try (Stream<Path> records = Files.walk(cacheRoot.resolve("layers"))) {
      for (Path record : records.filter(Files::isRegularFile).toList()) {
        Files.writeString(record, "garbage");
      }
    }
    LayerBuilder again = builder(false);
    assertEquals(first, again.build(input(), Compression.GZIP));
    assertEquals(2, again.work().tarPasses());
  }

  private static BuiltLayer cached(BuiltLayer layer) {
    return new BuiltLayer(
        layer.blob(),
        layer.diffId(),
        layer.uncompressedSize(),
        layer.createdBy(),
        layer.blobPath());
  }

  private static void flipLastByte(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 1] ^= 0x55;
    Files.write(file, bytes);
  }
}
