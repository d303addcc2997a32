package dev.rig.build.load;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The names a container engine's store holds and the image ID (config digest) each points at: an
 * image whose name already points at its ID is loaded, and loading it again would only cost time.
 */
final class StoredImages {
  private final Map<String, String> idByName;

  private StoredImages(Map<String, String> idByName) {
    this.idByName = Map.copyOf(idByName);
  }

  /**
   * Asks the engine ({@code images --no-trunc}); an engine that cannot answer is taken to hold
   * nothing, so the load goes ahead and its own error, if any, is the one reported.
   */
  static StoredImages of(EngineCommand engine) throws IOException, InterruptedException {
    EngineCommand.Result listed =
        engine.run(List.of("images", "--no-trunc", "--format", "{{.ID}} {{.Repository}}:{{.Tag}}"));
    return listed.ok() ? parse(listed.output()) : new StoredImages(Map.of());
  }

  /** Lines of {@code sha256:ID NAME:TAG}, as podman and docker print them. */
  static StoredImages parse(String listing) {
    Map<String, String> idByName = new HashMap<>();
    for (String line : listing.lines().toList()) {
      String[] fields = line.strip().split(" ");
      if (fields.length == 2 && !fields[1].contains("<none>")) {
        idByName.put(fields[1], fields[0]);
      }
    }
    return new StoredImages(idByName);
  }

  /** The image ID ({@code sha256:...}) {@code name} points at, if the store has the name. */
  Optional<String> id(String name) {
    return Optional.ofNullable(idByName.get(name));
  }

  /** How long a listing, a tag or an untag may take. */
  static final Duration TIMEOUT = Duration.ofMinutes(2);
}
