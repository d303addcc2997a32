package dev.rig.build.load;

import dev.rig.build.result.BuiltImage;
import dev.rig.oci.layout.PlainImage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads images into podman by having it pull them from a {@link LoopbackRegistry}, then naming them
 * as {@code podman load} would. Against {@code podman load} of a piped archive this spares a copy
 * of the whole archive into a temp file and podman's single-threaded pass over it; against a
 * compressed image ({@code skopeo copy} of the layout) it spares podman two single-threaded gunzips
 * per layer; and layers podman's store has already (by diffID) are never sent.
 */
final class LoopbackPull {
  /** A pull moves gigabytes; it is bounded only so that a hung engine does not hang rig. */
  private static final Duration PULL_TIMEOUT = Duration.ofHours(2);

  private final ContainerRuntime runtime;

  LoopbackPull(ContainerRuntime runtime) {
    this.runtime = runtime;
  }

  /** What a pull did. */
  record Pulled(int layersSent, String engineOutput) {}

  /** The engine's pull failed for a reason of its own (not a damaged cache blob). */
  static final class PullFailed extends IOException {
    PullFailed(String message) {
      super(message);
    }
  }

  Pulled load(List<BuiltImage> images, LoadProgress progress)
      throws IOException, InterruptedException {
    Map<String, PlainImage> served = new LinkedHashMap<>();
    for (BuiltImage image : images) {
      served.put(image.reference(), PlainImage.of(image.image()));
    }
    EngineCommand engine = new EngineCommand(runtime, PULL_TIMEOUT);
    try (LoopbackRegistry registry = LoopbackRegistry.serve(served, progress)) {
      List<String> pulled = new ArrayList<>();
      for (BuiltImage image : images) {
        pulled.add(registry.host() + "/" + image.reference());
      }
      List<String> pull = new ArrayList<>(List.of("pull", "--quiet", "--tls-verify=false"));
      pull.addAll(pulled);
      EngineCommand.Result result = engine.run(pull);
      if (registry.damage().isPresent()) {
        throw registry.damage().get();
      }
      if (!result.ok()) {
        throw new PullFailed(
            runtime.kind()
                + " pull from rig's loopback registry failed (exit "
                + result.exitCode()
                + "): "
                + result.oneLine());
      }
      EngineCommand names = new EngineCommand(runtime, StoredImages.TIMEOUT);
      for (int i = 0; i < images.size(); i++) {
        String id = images.get(i).image().configDescriptor().digest().hex();
        String loaded = runtime.loadedName(images.get(i).reference());
        // The pulled name holds the loopback port: the image is given its own name, and that
        // one is taken away.
        check(names.run(List.of("tag", id, loaded)), "tag " + id + " " + loaded);
        check(names.run(List.of("untag", id, pulled.get(i))), "untag " + id + " " + pulled.get(i));
      }
      return new Pulled(registry.layersSent().size(), result.output().strip());
    }
  }

  private void check(EngineCommand.Result result, String what) throws IOException {
    if (!result.ok()) {
      throw new IOException(
          runtime.kind()
              + " "
              + what
              + " failed (exit "
              + result.exitCode()
              + "): "
              + result.oneLine());
    }
  }
}
