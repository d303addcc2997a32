package dev.rig.build.output;

import dev.rig.build.event.BuildEvent;
import dev.rig.build.event.BuildListener;
import dev.rig.build.event.OciEvents;
import dev.rig.build.result.BuiltImage;
import dev.rig.oci.event.OciEventListener;
import dev.rig.oci.layout.DockerArchiveWriter;
import dev.rig.oci.layout.OciArchiveWriter;
import dev.rig.oci.layout.OciLayoutWriter;
import dev.rig.oci.layout.TaggedImage;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Writes built images to an {@link OutputTarget}; each writer replaces its output atomically. */
public final class ImageExporter {
  /** Outputs hold every image of a run: their events are the project's, not one image's. */
  public static final String SCOPE = "project";

  private final BuildListener listener;

  public ImageExporter(BuildListener listener) {
    this.listener = listener;
  }

  public void write(OutputTarget target, List<BuiltImage> images) throws IOException {
    long start = System.nanoTime();
    listener.on(
        new BuildEvent.PhaseStarted(SCOPE, BuildEvent.Phase.EXPORT, 0, BuildEvent.Unit.BYTES, ""));
    List<TaggedImage> tagged =
        images.stream().map(image -> new TaggedImage(image.reference(), image.image())).toList();
    OciEventListener events = OciEvents.to(listener, SCOPE, BuildEvent.Phase.EXPORT);
    if (target instanceof OutputTarget.OciLayout layout) {
      new OciLayoutWriter(events).write(layout.dir(), tagged);
    } else if (target instanceof OutputTarget.OciArchive archive) {
      new OciArchiveWriter(events).write(archive.file(), tagged);
    } else if (target instanceof OutputTarget.DockerArchive archive) {
      new DockerArchiveWriter(events).write(archive.file(), tagged);
    }
    listener.on(
        new BuildEvent.PhaseDone(
            SCOPE,
            BuildEvent.Phase.EXPORT,
            Duration.ofNanos(System.nanoTime() - start),
            images.size(),
            0,
            false,
            "wrote " + target.describe()));
  }
}
