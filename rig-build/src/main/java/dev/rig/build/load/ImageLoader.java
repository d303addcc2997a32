package dev.rig.build.load;

import dev.rig.build.event.BuildEvent;
import dev.rig.build.event.BuildListener;
import dev.rig.build.event.Sizes;
import dev.rig.build.result.BuiltImage;
import dev.rig.build.result.LoadReport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads images into podman or docker, doing only the work the engine's store lacks: an image whose
 * name already points at its ID is left as it is; podman pulls the others from a {@link
 * LoopbackRegistry} (layers it has are never sent); docker, and a podman that cannot reach this
 * machine's loopback address, get a streamed archive ({@link ArchiveStream}).
 */
public final class ImageLoader {
  private final ContainerRuntime runtime;
  private final BuildListener listener;

  public ImageLoader(ContainerRuntime runtime, BuildListener listener) {
    this.runtime = runtime;
    this.listener = listener;
  }

  public LoadReport load(List<BuiltImage> images) throws IOException, InterruptedException {
    long start = System.nanoTime();
    String scope = images.size() == 1 ? images.get(0).name() : "images";
    StoredImages stored = StoredImages.of(new EngineCommand(runtime, StoredImages.TIMEOUT));
    List<BuiltImage> missing = new ArrayList<>();
    List<LoadReport.Loaded> loaded = new ArrayList<>();
    for (BuiltImage image : images) {
      String name = runtime.loadedName(image.reference());
      String id = image.image().configDescriptor().digest().toString();
      boolean present = stored.id(name).filter(id::equals).isPresent();
      loaded.add(new LoadReport.Loaded(name, id, present));
      if (!present) {
        missing.add(image);
      }
    }
    long total = 0;
    int layers = 0;
    for (BuiltImage image : missing) {
      for (var layer : image.image().layers()) {
        total += Math.max(0, layer.uncompressedSize());
        layers++;
      }
    }
    listener.on(
        new BuildEvent.PhaseStarted(
            scope, BuildEvent.Phase.LOAD, total, BuildEvent.Unit.BYTES, ""));
    LoadProgress progress = new LoadProgress(scope, total, listener);
    String printed = "";
    String summary;
    int sent = layers;
    if (missing.isEmpty()) {
      summary = images.size() + " image(s) in " + runtime.kind() + " already, unchanged";
    } else if (runtime.sharesLoopback(System.getenv())) {
      try {
        LoopbackPull.Pulled pulled = new LoopbackPull(runtime).load(missing, progress);
        printed = pulled.engineOutput();
        sent = pulled.layersSent();
        summary =
            missing.size()
                + " image(s) pulled by "
                + runtime.kind()
                + " from rig ("
                + sent
                + " of "
                + layers
                + " layer(s) sent, the rest in its store already; "
                + Sizes.bytes(progress.count())
                + ")";
      } catch (LoopbackPull.PullFailed e) {
        listener.on(
            new BuildEvent.Notice(
                scope, e.getMessage() + "; streaming an archive into `podman load` instead", true));
        printed = new ArchiveStream(runtime).load(missing, progress);
        summary = missing.size() + " image(s) streamed into " + runtime.kind();
      }
    } else {
      printed = new ArchiveStream(runtime).load(missing, progress);
      summary = missing.size() + " image(s) streamed into " + runtime.kind();
    }
    listener.on(
        new BuildEvent.PhaseDone(
            scope,
            BuildEvent.Phase.LOAD,
            Duration.ofNanos(System.nanoTime() - start),
            images.size(),
            progress.count(),
            missing.isEmpty(),
            summary));
    return new LoadReport(runtime.kind().name(), loaded, layers, sent, printed);
  }
}
