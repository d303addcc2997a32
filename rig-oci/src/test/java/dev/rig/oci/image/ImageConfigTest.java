package dev.rig.oci.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rig.oci.digest.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageConfigTest {
  private static final Digest D1 = Digest.of(new byte[] {1});
  private static final Digest D2 = Digest.of(new byte[] {2});

  private static ImageConfig sample() {
    return ImageConfig.builder(Instant.ofEpochSecond(1700000000L))
        .env(List.of("PATH=/usr/bin:/bin", "LANG=C.UTF-8"))
        .entrypoint(List.of("/usr/bin/tini", "--"))
        .cmd(List.of("rig-init", "run"))
        .workingDir("/root")
        .user("0:0")
        .exposedPorts(List.of("8080", "22/tcp"))
        .labels(Map.of("z", "last", "a", "first"))
        .build();
  }

  @Test
  void jsonIsCompactOrderedAndStable() {
    String json = new String(sample().toJson(), StandardCharsets.UTF_8);
    assertEquals(
        "{\"created\":\"2023-11-14T22:13:20Z\",\"architecture\":\"amd64\",\"os\":\"linux\","
            + "\"config\":{\"User\":\"0:0\",\"ExposedPorts\":{\"22/tcp\":{},\"8080/tcp\":{}},"
            + "\"Env\":[\"PATH=/usr/bin:/bin\",\"LANG=C.UTF-8\"],"
            + "\"Entrypoint\":[\"/usr/bin/tini\",\"--\"],\"Cmd\":[\"rig-init\",\"run\"],"
            + "\"WorkingDir\":\"/root\",\"Labels\":{\"a\":\"first\",\"z\":\"last\"}},"
            + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}",
        json);
    assertArrayEquals(sample().toJson(), sample().toJson());
  }

  @Test
  void emptyEntrypointAndCmdAreOmitted() {
    String json =
        new String(ImageConfig.builder(Instant.EPOCH).build().toJson(), StandardCharsets.UTF_8);
    assertEquals(
        "{\"created\":\"1970-01-01T00:00:00Z\",\"architecture\":\"amd64\",\"os\":\"linux\","
            + "\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}",
        json);
  }

  @Test
  void parsesWhatItWrites() {
    ImageConfig withHistory =
        sample().toBuilder()
            .diffIds(List.of(D1))
            .history(
                List.of(
                    new HistoryEntry(Instant.EPOCH, "ENV X=1", "", true),
                    HistoryEntry.layer(Instant.EPOCH, "rig: base")))
            .volumes(Set.of("/data"))
            .stopSignal("SIGTERM")
            .build();
    assertEquals(withHistory, ImageConfig.parse(withHistory.toJson()));
  }

  @Test
  void rejectsBadEnvAndPorts() {
    var builder = ImageConfig.builder(Instant.EPOCH);
    assertThrows(IllegalArgumentException.class, () -> builder.env(List.of("NOVALUE")).build());
    assertThrows(IllegalArgumentException.class, () -> builder.env(List.of("A=1", "A=2")).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> ImageConfig.builder(Instant.EPOCH).exposedPorts(List.of("ssh")).build());
  }

  @Test
  void mergeOverridesNonEmptyValuesAndMergesEnvByName() {
    ImageConfig base =
        ImageConfig.builder(Instant.EPOCH)
            .env(List.of("PATH=/bin", "HOME=/root"))
            .cmd(List.of("bash"))
            .workingDir("/")
            .labels(Map.of("a", "base", "b", "base"))
            .exposedPorts(List.of("80"))
            .build();
    ImageConfig overrides =
        ImageConfig.builder(Instant.ofEpochSecond(5))
            .env(List.of("LANG=C", "PATH=/usr/bin:/bin"))
            .entrypoint(List.of("/init"))
            .labels(Map.of("b", "new"))
            .exposedPorts(List.of("22"))
            .build();
    ImageConfig merged = ConfigMerge.merge(base, overrides);
    assertEquals(List.of("PATH=/usr/bin:/bin", "HOME=/root", "LANG=C"), merged.env());
    assertEquals(List.of("/init"), merged.entrypoint());
    assertEquals(List.of(), merged.cmd(), "a new entrypoint drops the base cmd");
    assertEquals("/", merged.workingDir());
    assertEquals(Map.of("a", "base", "b", "new"), merged.labels());
    assertEquals(Set.of("22/tcp", "80/tcp"), merged.exposedPorts());
    assertEquals(Instant.ofEpochSecond(5), merged.created());
    ImageConfig keepCmd = ConfigMerge.merge(base, ImageConfig.builder(Instant.EPOCH).build());
    assertEquals(List.of("bash"), keepCmd.cmd());
  }

  @Test
  void assemblerPutsBaseHistoryAndLayersFirst() {
    ImageConfig baseConfig =
        ImageConfig.builder(Instant.EPOCH)
            .diffIds(List.of(D1))
            .history(List.of(HistoryEntry.layer(Instant.EPOCH, "base layer")))
            .cmd(List.of("sh"))
            .build();
    Descriptor baseBlob =
        Descriptor.of("application/vnd.docker.image.rootfs.diff.tar.gzip", D2, 10);
    BaseImage base =
        new BaseImage(
            baseConfig, List.of(new ImageLayer(baseBlob, D1, BlobSource.ofBytes(new byte[10]))));
    Digest blob = Digest.of(new byte[] {3});
    Digest diff = Digest.of(new byte[] {4});
    BuiltLayer layer =
        new BuiltLayer(
            Descriptor.of("application/vnd.oci.image.layer.v1.tar+gzip", blob, 20),
            diff,
            30,
            "rig: files",
            Path.of("/nonexistent"));
    AssembledImage image =
        ImageAssembler.assemble(
            Optional.of(base), List.of(layer), ImageConfig.builder(Instant.EPOCH).build());
    assertEquals(List.of(D1, diff), image.config().diffIds());
    assertEquals(
        List.of("base layer", "rig: files"),
        image.config().history().stream().map(HistoryEntry::createdBy).toList());
    assertEquals(List.of("sh"), image.config().cmd());
    ImageManifest manifest = ImageManifest.parse(image.manifestJson());
    assertEquals(
        "application/vnd.oci.image.layer.v1.tar+gzip", manifest.layers().get(0).mediaType());
    assertEquals(image.configDescriptor(), manifest.config());
    assertEquals(Digest.of(image.configJson()), image.configDescriptor().digest());
    assertEquals(Digest.of(image.manifestJson()), image.manifestDescriptor().digest());
    assertEquals(
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
            + "\"digest\":\""
            + image.configDescriptor().digest()
            + "\",\"size\":"
            + image.configDescriptor().size()
            + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
            + "\"digest\":\""
            + D2
            + "\",\"size\":10},{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
            + "\"digest\":\""
            + blob
            + "\",\"size\":20}]}",
        new String(image.manifestJson(), StandardCharsets.UTF_8));
  }

  @Test
  void assemblerRejectsAPlatformMismatch() {
    ImageConfig arm = ImageConfig.builder(Instant.EPOCH).architecture("arm64").build();
    BaseImage base = new BaseImage(arm, List.of());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ImageAssembler.assemble(
                Optional.of(base), List.of(), ImageConfig.builder(Instant.EPOCH).build()));
  }
}
