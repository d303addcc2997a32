package dev.rig.oci.fuzz;

import dev.rig.oci.digest.Digest;
import dev.rig.oci.image.ImageConfig;
import dev.rig.oci.image.ImageIndex;
import dev.rig.oci.image.ImageManifest;
import dev.rig.testkit.BadInput;
import dev.rig.testkit.Mutations;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Malformed manifests, indexes, configs and digests, as a registry or a layout on disk could hold
 * them: each parser returns a value or an IllegalArgumentException with a message (which its
 * callers wrap with the place), never another exception.
 */
class ImageJsonFuzzTest {
  private static final String HEX = "a".repeat(64);
  private static final String DESCRIPTOR =
      "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:"
          + HEX
          + "\",\"size\":1234,\"annotations\":{\"k\":\"v\"}}";
  private static final String MANIFEST =
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
          + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:"
          + HEX
          + "\",\"size\":99},\"layers\":["
          + DESCRIPTOR
          + ","
          + DESCRIPTOR
          + "],\"annotations\":{\"a\":\"b\"}}";
  private static final String INDEX =
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
          + "\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
          + "\"digest\":\"sha256:"
          + HEX
          + "\",\"size\":500,\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\","
          + "\"variant\":\"v8\"}}]}";
  private static final String CONFIG =
      "{\"created\":\"2024-01-02T03:04:05.123Z\",\"architecture\":\"amd64\",\"os\":\"linux\","
          + "\"config\":{\"Env\":[\"PATH=/usr/bin\",\"A=b\"],\"Entrypoint\":[\"/bin/sh\"],"
          + "\"Cmd\":[\"-c\",\"x\"],\"WorkingDir\":\"/w\",\"User\":\"0:0\","
          + "\"ExposedPorts\":{\"22/tcp\":{},\"53/udp\":{}},\"Volumes\":{\"/data\":{}},"
          + "\"Labels\":{\"l\":\"v\"},\"StopSignal\":\"SIGTERM\"},"
          + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:"
          + HEX
          + "\"]},\"history\":[{\"created\":\"2024-01-02T03:04:05Z\",\"created_by\":\"x\","
          + "\"empty_layer\":true},{\"comment\":\"c\"}]}";
  private static final String JSON_DELIMITERS = "{}[]\",:\\0123456789-.eE ntf";

  @Property
  void manifestFromRandomText(@ForAll("jsonText") String text) {
    check("manifest", text, ImageManifest::parse);
  }

  @Property
  void manifestFromDamagedSample(@ForAll Random random) {
    check("manifest", Mutations.mutate(MANIFEST, JSON_DELIMITERS, random), ImageManifest::parse);
  }

  @Property
  void indexFromRandomText(@ForAll("jsonText") String text) {
    check("index", text, ImageIndex::parse);
  }

  @Property
  void indexFromDamagedSample(@ForAll Random random) {
    check("index", Mutations.mutate(INDEX, JSON_DELIMITERS, random), ImageIndex::parse);
  }

  @Property
  void configFromRandomText(@ForAll("jsonText") String text) {
    check("config", text, ImageConfig::parse);
  }

  @Property
  void configFromDamagedSample(@ForAll Random random) {
    check("config", Mutations.mutate(CONFIG, JSON_DELIMITERS, random), ImageConfig::parse);
  }

  @Property
  void digest(@ForAll("digestText") String text) {
    BadInput.check(
        "digest '" + text + "'",
        Optional.empty(),
        () -> Digest.parse(text),
        IllegalArgumentException.class);
  }

  private static void check(String what, String text, Consumer<byte[]> parse) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    BadInput.check(
        what + " " + BadInput.describe(bytes),
        Optional.empty(),
        () -> parse.accept(bytes),
        IllegalArgumentException.class);
  }

  @Provide
  Arbitrary<String> jsonText() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(300),
        Arbitraries.strings().withChars(JSON_DELIMITERS + "abcsha256:").ofMaxLength(300),
        Arbitraries.of(MANIFEST, INDEX, CONFIG)
            .flatMap(
                doc ->
                    Arbitraries.strings()
                        .withChars(JSON_DELIMITERS)
                        .ofMaxLength(20)
                        .map(junk -> doc.replace("99", junk).replace("true", junk))));
  }

  @Provide
  Arbitrary<String> digestText() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(80),
        Arbitraries.strings().withChars("sha256:0123456789abcdefABCDEF").ofMaxLength(80));
  }
}
