package dev.rig.oci.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.oci.ExternalTool;
import dev.rig.oci.Fixtures;
import dev.rig.oci.OciException;
import dev.rig.oci.cache.BlobCache;
import dev.rig.oci.cache.LayerBuilder;
import dev.rig.oci.compress.Compression;
import dev.rig.oci.digest.Digest;
import dev.rig.oci.event.OciEventListener;
import dev.rig.oci.image.AssembledImage;
import dev.rig.oci.image.BaseImage;
import dev.rig.oci.image.BuiltLayer;
import dev.rig.oci.image.ImageAssembler;
import dev.rig.oci.image.ImageConfig;
import dev.rig.oci.image.ImageIndex;
import dev.rig.oci.image.ImageLayer;
import dev.rig.oci.layer.Content;
import dev.rig.oci.layer.LayerEntry;
import dev.rig.oci.layer.LayerInput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes images with rig and reads them back with umoci and skopeo. */
class RoundTripTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant SDE = Instant.ofEpochSecond(1700000000L);

  @TempDir Path temp;
  private LayerBuilder builder;

  @BeforeEach
  void setUp() throws IOException {
    builder =
        new LayerBuilder(
            BlobCache.open(temp.resolve("cache"), OciEventListener.NONE),
            SDE,
            OciEventListener.NONE);
  }

  private BuiltLayer busyboxLayer(Compression compression) throws IOException {
    Path busybox = ExternalTool.require("busybox", "busybox-static");
    LayerInput input =
        LayerInput.builder("rig: busybox")
            .add(LayerEntry.file("/bin/busybox", Content.ofFile(busybox), 0755, 0, 0))
            .add(LayerEntry.symlink("/bin/sh", "busybox", 0, 0))
            .add(LayerEntry.directory("/tmp", 01777, 0, 0))
            .add(
                LayerEntry.file(
                    "/etc/passwd",
                    Content.ofBytes(Fixtures.utf8("root:x:0:0:root:/root:/bin/sh\n")),
                    0644,
                    0,
                    0))
            .build();
    return builder.build(input, compression);
  }

  private BuiltLayer sampleLayer() throws IOException {
    return builder.build(Fixtures.sample(), Compression.GZIP);
  }

  private static ImageConfig config(String greeting) {
    return ImageConfig.builder(SDE)
        .env(List.of("PATH=/bin", "GREETING=" + greeting))
        .entrypoint(List.of("/bin/sh", "-c"))
        .cmd(List.of("echo $GREETING"))
        .workingDir("/tmp")
        .exposedPorts(List.of("22"))
        .labels(Map.of("org.opencontainers.image.title", "rig test"))
        .build();
  }

  private AssembledImage imageA() throws IOException {
    return ImageAssembler.assemble(
        Optional.empty(), List.of(busyboxLayer(Compression.GZIP), sampleLayer()), config("a"));
  }

  private AssembledImage imageB() throws IOException {
    return ImageAssembler.assemble(
        Optional.empty(), List.of(busyboxLayer(Compression.GZIP)), config("b"));
  }

  @Test
  void umociUnpacksTwoImagesFromOneLayout() throws IOException {
    Path layout = temp.resolve("layout");
    new OciLayoutWriter(OciEventListener.NONE)
        .write(
            layout,
            List.of(
                new TaggedImage("rig/a:1", imageA()), new TaggedImage("rig/b:latest", imageB())));

    Path bundle = temp.resolve("bundle-a");
    ExternalTool.umoci("unpack", "--rootless", "--image", layout + ":rig/a:1", bundle.toString())
        .ok();
    Path rootfs = bundle.resolve("rootfs");
    assertEquals(0755, mode(rootfs.resolve("bin/busybox")));
    assertEquals("busybox", Files.readSymbolicLink(rootfs.resolve("bin/sh")).toString());
    assertEquals(01777, mode(rootfs.resolve("tmp")));
    assertEquals(04755, mode(rootfs.resolve("usr/local/bin/suid")));
    assertEquals(0700, mode(rootfs.resolve("home/user")));
    assertEquals("long\n", Files.readString(rootfs.resolve(Fixtures.LONG_FILE.substring(1))));
    assertEquals(
        Fixtures.LONG_TARGET, Files.readSymbolicLink(rootfs.resolve("opt/long-link")).toString());
    JsonNode runtime = JSON.readTree(bundle.resolve("config.json").toFile());
    assertEquals(
        List.of("/bin/sh", "-c", "echo $GREETING"), texts(runtime.path("process").path("args")));
    assertEquals("/tmp", runtime.path("process").path("cwd").asText());

    Path bundleB = temp.resolve("bundle-b");
    ExternalTool.umoci(
            "unpack", "--rootless", "--image", layout + ":rig/b:latest", bundleB.toString())
        .ok();
    assertTrue(Files.notExists(bundleB.resolve("rootfs/etc/hostname")));
    assertTrue(Files.isRegularFile(bundleB.resolve("rootfs/bin/busybox")));
  }

  @Test
  void skopeoReadsLayoutAndMergesKeepOtherImages() throws IOException {
    Path layout = temp.resolve("layout");
    OciLayoutWriter writer = new OciLayoutWriter(OciEventListener.NONE);
    AssembledImage a = imageA();
    writer.write(
        layout, List.of(new TaggedImage("rig/a:1", a), new TaggedImage("rig/b:latest", imageB())));
    String raw =
        ExternalTool.skopeo("inspect", "--raw", "oci:" + layout + ":rig/a:1").ok().stdout();
    assertEquals(new String(a.manifestJson(), StandardCharsets.UTF_8), raw.strip());
    JsonNode inspect =
        JSON.readTree(
            ExternalTool.skopeo("inspect", "oci:" + layout + ":rig/b:latest").ok().stdout());
    assertEquals(1, inspect.path("Layers").size());
    assertEquals("amd64", inspect.path("Architecture").asText());

    // Rebuild image a with another config: its entry is replaced in place, b is kept.
    AssembledImage a2 =
        ImageAssembler.assemble(
            Optional.empty(), List.of(busyboxLayer(Compression.GZIP)), config("again"));
    writer.write(layout, List.of(new TaggedImage("rig/a:1", a2), new TaggedImage("rig/c:1", a)));
    OciLayoutReader reader = OciLayoutReader.open(layout);
    assertEquals(List.of("rig/a:1", "rig/b:latest", "rig/c:1"), reader.refNames());
    assertEquals(
        a2.manifestDescriptor().digest(), reader.image("rig/a:1").manifestDescriptor().digest());
    String raw2 =
        ExternalTool.skopeo("inspect", "--raw", "oci:" + layout + ":rig/a:1").ok().stdout();
    assertEquals(new String(a2.manifestJson(), StandardCharsets.UTF_8), raw2.strip());
    // Rewriting the same images changes nothing.
    byte[] index = Files.readAllBytes(layout.resolve("index.json"));
    writer.write(layout, List.of(new TaggedImage("rig/a:1", a2), new TaggedImage("rig/c:1", a)));
    assertArrayEquals(index, Files.readAllBytes(layout.resolve("index.json")));
  }

  @Test
  void readerFindsImagesByFullRefOrTagAndReturnsVerifiedParts() throws IOException {
    Path layout = temp.resolve("layout");
    AssembledImage a = imageA();
    new OciLayoutWriter(OciEventListener.NONE)
        .write(layout, List.of(new TaggedImage("rig/a:1", a), new TaggedImage("plain", imageB())));
    OciLayoutReader reader = OciLayoutReader.open(layout);
    LayoutImage byFull = reader.image("rig/a:1");
    LayoutImage byTag = reader.image("1");
    LayoutImage plain = reader.image("other/name:plain");
    assertEquals(byFull.manifestDescriptor().digest(), byTag.manifestDescriptor().digest());
    assertEquals("plain", plain.refName());
    assertArrayEquals(a.configJson(), byFull.configJson());
    assertEquals(a.config(), byFull.config());
    assertEquals(2, byFull.layers().size());
    assertEquals(a.config().diffIds().get(1), byFull.layers().get(1).diffId());
    assertTrue(Files.exists(byFull.layers().get(0).source().file().orElseThrow()));
  }

  @Test
  void ociArchiveIsDeterministicAndReadBySkopeo() throws IOException {
    AssembledImage a = imageA();
    List<TaggedImage> images =
        List.of(new TaggedImage("rig/a:1", a), new TaggedImage("rig/b:2", imageB()));
    Path archive = temp.resolve("images.tar");
    OciArchiveWriter writer = new OciArchiveWriter(OciEventListener.NONE);
    writer.write(archive, images);
    byte[] first = Files.readAllBytes(archive);
    writer.write(archive, images);
    assertArrayEquals(first, Files.readAllBytes(archive));
    String raw =
        ExternalTool.skopeo("inspect", "--raw", "oci-archive:" + archive + ":rig/a:1")
            .ok()
            .stdout();
    assertEquals(new String(a.manifestJson(), StandardCharsets.UTF_8), raw.strip());
    ExternalTool.skopeo("inspect", "oci-archive:" + archive + ":rig/b:2").ok();
    String listing = ExternalTool.tar(temp, "-tvf", archive.toString()).ok().stdout();
    assertTrue(listing.contains("oci-layout"), listing);
    assertTrue(listing.contains("1970-01-01 00:00"), listing);
  }

  @Test
  void dockerArchiveIsReadBySkopeoAndItsLayersMatchTheirDiffIds() throws IOException {
    AssembledImage a = imageA();
    AssembledImage b = imageB();
    Path archive = temp.resolve("docker.tar");
    new DockerArchiveWriter(OciEventListener.NONE)
        .write(
            archive,
            List.of(
                new TaggedImage("localhost/rig/a:1", a),
                new TaggedImage("localhost/rig/b", b),
                new TaggedImage("localhost/rig/a:also", a)));
    JsonNode inspect =
        JSON.readTree(
            ExternalTool.skopeo("inspect", "docker-archive:" + archive + ":localhost/rig/a:1")
                .ok()
                .stdout());
    assertEquals(2, inspect.path("Layers").size());
    assertEquals("a", env(inspect).get("GREETING"));
    ExternalTool.skopeo("inspect", "docker-archive:" + archive + ":localhost/rig/b:latest").ok();
    ExternalTool.skopeo("inspect", "docker-archive:" + archive + ":localhost/rig/a:also").ok();

    // Copying decompresses every layer and checks it against its diffID.
    Path copied = temp.resolve("copied");
    ExternalTool.skopeo(
            "copy", "docker-archive:" + archive + ":localhost/rig/a:1", "oci:" + copied + ":copy")
        .ok();
    LayoutImage image = OciLayoutReader.open(copied).image("copy");
    assertEquals(a.config().diffIds(), image.config().diffIds());

    JsonNode manifest = JSON.readTree(tarEntry(archive, "manifest.json"));
    assertEquals(2, manifest.size());
    assertEquals(
        List.of("localhost/rig/a:1", "localhost/rig/a:also"),
        texts(manifest.get(0).get("RepoTags")));
  }

  /**
   * The form rig load streams: rig's layers as plain tars named by their diffIDs, a base image's
   * layer (size unknown) left compressed; skopeo reads it and checks every layer.
   */
  @Test
  void uncompressedDockerArchiveHoldsTarsNamedByDiffId() throws IOException {
    AssembledImage plain =
        ImageAssembler.assemble(
            Optional.empty(),
            List.of(busyboxLayer(Compression.GZIP), busyboxLayer(Compression.ZSTD), sampleLayer()),
            config("plain"));
    // A layer as a base image gives it: no uncompressed size.
    AssembledImage base = imageB();
    ImageLayer first = base.layers().get(0);
    AssembledImage withBase =
        ImageAssembler.assemble(
            Optional.of(
                new BaseImage(
                    base.config(),
                    List.of(new ImageLayer(first.blob(), first.diffId(), first.source())))),
            List.of(sampleLayer()),
            config("based"));
    for (AssembledImage image : List.of(plain, withBase)) {
      Path archive = temp.resolve("load-" + image.manifestDescriptor().digest().hex() + ".tar");
      new DockerArchiveWriter(OciEventListener.NONE, DockerArchiveWriter.Layers.UNCOMPRESSED)
          .write(archive, List.of(new TaggedImage("localhost/rig/plain:1", image)));
      JsonNode manifest = JSON.readTree(tarEntry(archive, "manifest.json"));
      List<String> paths = texts(manifest.get(0).get("Layers"));
      for (int i = 0; i < image.layers().size(); i++) {
        ImageLayer layer = image.layers().get(i);
        byte[] entry = binaryTarEntry(archive, paths.get(i));
        if (layer.uncompressedSize() < 0) {
          assertEquals("blobs/sha256/" + layer.blob().digest().hex(), paths.get(i));
          assertEquals(layer.blob().digest(), Digest.of(entry));
        } else {
          assertEquals("blobs/sha256/" + layer.diffId().hex(), paths.get(i));
          assertEquals(layer.diffId(), Digest.of(entry));
          assertEquals(layer.uncompressedSize(), entry.length);
        }
      }
      Path copied = temp.resolve("copied-" + image.manifestDescriptor().digest().hex());
      ExternalTool.skopeo("copy", "docker-archive:" + archive, "oci:" + copied + ":copy").ok();
      assertEquals(
          image.config().diffIds(), OciLayoutReader.open(copied).image("copy").config().diffIds());
    }
  }

  /** A damaged cached blob fails the stream and is discarded, like any export. */
  @Test
  void uncompressedDockerArchiveRejectsADamagedBlob() throws IOException {
    BuiltLayer layer = busyboxLayer(Compression.GZIP);
    AssembledImage image = ImageAssembler.assemble(Optional.empty(), List.of(layer), config("x"));
    byte[] bytes = Files.readAllBytes(layer.blobPath());
    bytes[bytes.length / 2] ^= 0x55;
    Files.setPosixFilePermissions(
        layer.blobPath(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    Files.write(layer.blobPath(), bytes);
    OciException error =
        org.junit.jupiter.api.Assertions.assertThrows(
            OciException.class,
            () ->
                new DockerArchiveWriter(
                        OciEventListener.NONE, DockerArchiveWriter.Layers.UNCOMPRESSED)
                    .write(
                        java.io.OutputStream.nullOutputStream(),
                        List.of(new TaggedImage("x:1", image))));
    assertTrue(error.getMessage().contains("corrupt"), error.getMessage());
    assertTrue(Files.notExists(layer.blobPath()), "the damaged blob is discarded");
  }

  @Test
  void imageBuiltOnABaseReadFromASkopeoLayoutUnpacks() throws IOException {
    // A base made by skopeo (docker media types converted by skopeo, its own JSON formatting).
    Path first = temp.resolve("first");
    new OciLayoutWriter(OciEventListener.NONE)
        .write(first, List.of(new TaggedImage("base", imageB())));
    Path skopeoLayout = temp.resolve("skopeo-layout");
    ExternalTool.skopeo("copy", "oci:" + first + ":base", "oci:" + skopeoLayout + ":base").ok();
    LayoutImage base = OciLayoutReader.open(skopeoLayout).image("base");

    BuiltLayer extra = sampleLayer();
    AssembledImage derived =
        ImageAssembler.assemble(
            Optional.of(base.toBaseImage()),
            List.of(extra),
            ImageConfig.builder(SDE).env(List.of("GREETING=derived", "EXTRA=1")).build());
    assertEquals(List.of("PATH=/bin", "GREETING=derived", "EXTRA=1"), derived.config().env());
    assertEquals(List.of("/bin/sh", "-c"), derived.config().entrypoint());
    assertEquals(2, derived.config().history().size());

    Path out = temp.resolve("derived");
    new OciLayoutWriter(OciEventListener.NONE)
        .write(out, List.of(new TaggedImage("rig/derived:1", derived)));
    Path bundle = temp.resolve("bundle");
    ExternalTool.umoci("unpack", "--rootless", "--image", out + ":rig/derived:1", bundle.toString())
        .ok();
    assertTrue(Files.isRegularFile(bundle.resolve("rootfs/bin/busybox")));
    assertEquals("rig\n", Files.readString(bundle.resolve("rootfs/etc/hostname")));
  }

  @Test
  void zstdLayersAreReadBySkopeo() throws IOException {
    BuiltLayer zstd = busyboxLayer(Compression.ZSTD);
    AssembledImage image = ImageAssembler.assemble(Optional.empty(), List.of(zstd), config("zstd"));
    Path layout = temp.resolve("zstd");
    new OciLayoutWriter(OciEventListener.NONE)
        .write(layout, List.of(new TaggedImage("rig/zstd:1", image)));
    JsonNode raw =
        JSON.readTree(
            ExternalTool.skopeo("inspect", "--raw", "oci:" + layout + ":rig/zstd:1").ok().stdout());
    assertEquals(
        "application/vnd.oci.image.layer.v1.tar+zstd",
        raw.path("layers").get(0).path("mediaType").asText());
    ExternalTool.skopeo("inspect", "oci:" + layout + ":rig/zstd:1").ok();
    // A full copy decompresses the zstd layer and checks it against the diffID.
    ExternalTool.skopeo(
            "copy", "oci:" + layout + ":rig/zstd:1", "oci:" + temp.resolve("zcopy") + ":z")
        .ok();
    Path archive = temp.resolve("zstd-docker.tar");
    new DockerArchiveWriter(OciEventListener.NONE)
        .write(archive, List.of(new TaggedImage("rig/zstd:1", image)));
    ExternalTool.skopeo("copy", "docker-archive:" + archive, "oci:" + temp.resolve("zcopy2") + ":z")
        .ok();
  }

  @Test
  void layoutBlobsAreHardLinkedFromTheCache() throws IOException {
    AssembledImage a = imageA();
    Path layout = temp.resolve("layout");
    new OciLayoutWriter(OciEventListener.NONE).write(layout, List.of(new TaggedImage("a", a)));
    Path cached = a.layers().get(0).source().file().orElseThrow();
    Path inLayout = layout.resolve("blobs/sha256/" + a.layers().get(0).blob().digest().hex());
    assertEquals(Files.getAttribute(cached, "unix:ino"), Files.getAttribute(inLayout, "unix:ino"));
    assertTrue(Files.notExists(layout.resolve("blobs/sha256").resolve("..").resolve(".tmp-x")));
    ImageIndex index = ImageIndex.parse(Files.readAllBytes(layout.resolve("index.json")));
    assertEquals("a", index.manifests().get(0).annotations().get(ImageIndex.REF_NAME));
  }

  private static int mode(Path path) throws IOException {
    return ((Integer)
            Files.getAttribute(path, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS))
        & 07777;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static Map<String, String> env(JsonNode inspect) {
    Map<String, String> env = new java.util.HashMap<>();
    inspect
        .path("Env")
        .forEach(
            n -> {
              String[] kv = n.asText().split("=", 2);
              env.put(kv[0], kv[1]);
            });
    return env;
  }

  /** An entry's exact bytes (tarEntry goes through a string: text only). */
  private byte[] binaryTarEntry(Path archive, String name) throws IOException {
    Path dir = Files.createTempDirectory(temp, "entry");
    ExternalTool.tar(temp, "-xf", archive.toString(), "-C", dir.toString(), name).ok();
    return Files.readAllBytes(dir.resolve(name));
  }

  private byte[] tarEntry(Path archive, String name) throws IOException {
    return ExternalTool.tar(temp, "-xOf", archive.toString(), name)
        .ok()
        .stdout()
        .getBytes(StandardCharsets.UTF_8);
  }
}
