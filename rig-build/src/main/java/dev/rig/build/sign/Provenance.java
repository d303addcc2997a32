package dev.rig.build.sign;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rig.oci.digest.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An SLSA provenance v1 statement (in-toto Statement v1) for one pushed image: rig built it, from
 * this spec and this rig.lock (by digest), with these parameters. Nothing in it depends on the time
 * or the host (files are named by their file name, not their path), so the same push gives the same
 * bytes.
 */
public final class Provenance {
  public static final String PREDICATE_TYPE = "https://slsa.dev/provenance/v1";

  /** What a rig build is, named in rig's own namespace. */
  public static final String BUILD_TYPE = "urn:dev.rig:build-type:image:v1";

  private static final ObjectMapper JSON = new ObjectMapper();

  private Provenance() {}

  /**
   * The statement's bytes.
   *
   * @param repository where the image was pushed, {@code host/repository}
   * @param spec the spec file the image was built from
   * @param lock rig.lock beside it (absent when the image locks nothing)
   */
  public static byte[] statement(
      String repository,
      Digest manifest,
      String image,
      String tag,
      Path spec,
      Path lock,
      String rigVersion)
      throws IOException {
    ObjectNode predicate = JSON.createObjectNode();
    ObjectNode definition = predicate.putObject("buildDefinition");
    definition.put("buildType", BUILD_TYPE);
    ObjectNode external = definition.putObject("externalParameters");
    external.put("spec", spec.getFileName().toString());
    external.put("image", image);
    external.put("tag", tag);
    ArrayNode dependencies = definition.putArray("resolvedDependencies");
    dependency(dependencies, spec);
    if (Files.isRegularFile(lock)) {
      dependency(dependencies, lock);
    }
    ObjectNode builder = predicate.putObject("runDetails").putObject("builder");
    builder.put("id", "urn:dev.rig:builder:rig@" + rigVersion);
    builder.putObject("version").put("rig", rigVersion);
    return Statements.of(
        repository,
        manifest,
        PREDICATE_TYPE,
        predicate.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void dependency(ArrayNode dependencies, Path file) throws IOException {
    Digest digest = Digest.of(Files.readAllBytes(file));
    ObjectNode entry = dependencies.addObject();
    entry.put("name", file.getFileName().toString());
    entry.putObject("digest").put(digest.algorithm(), digest.hex());
  }
}
