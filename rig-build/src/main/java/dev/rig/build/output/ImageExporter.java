package dev.rig.build.output;

import dev.rig.build.event.BuildEvent;
import dev.rig.build.event.BuildListener;
import dev.rig.build.event.OciEvents;
import dev.rig.build.result.BuiltImage;
import dev.rig.build.sbom.Sbom;
import dev.rig.build.sbom.SbomFormat;
import dev.rig.oci.event.OciEventListener;
import dev.rig.oci.io.AtomicFiles;
import dev.rig.oci.layout.DockerArchiveWriter;
import dev.rig.oci.layout.OciArchiveWriter;
import dev.rig.oci.layout.OciLayoutWriter;
import dev.rig.oci.layout.TaggedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Writes built images to an {@link OutputTarget}; each writer replaces its output atomically. */
public final class ImageExporter {
  /** Outputs hold every image of a run: their events are the project's, not one image's. */
  public static final String SCOPE = "project";

  /** The directory of an output (layout or archive) that holds each image's SBOM. */
  public static final String SBOM_DIR = "sbom";

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
    Map<String, byte[]> sboms = sboms(images);
    if (target instanceof OutputTarget.OciLayout layout) {
      new OciLayoutWriter(events).write(layout.dir(), tagged);
      // Beside the layout's own files, which readers (skopeo, umoci, podman) alone look at.
      for (var sbom : sboms.entrySet()) {
        Path file = layout.dir().resolve(sbom.getKey());
        Files.createDirectories(file.getParent());
        AtomicFiles.write(file, sbom.getValue());
      }
    } else if (target instanceof OutputTarget.OciArchive archive) {
      new OciArchiveWriter(events).write(archive.file(), tagged, sboms);
    } else if (target instanceof OutputTarget.DockerArchive archive) {
      new DockerArchiveWriter(events).write(archive.file(), tagged, sboms);
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

  /** Each image's SBOM in every format, under {@code sbom/NAME.spdx.json} and {@code .cdx.json}. */
  static Map<String, byte[]> sboms(List<BuiltImage> images) {
    Map<String, byte[]> files = new TreeMap<>();
    for (BuiltImage image : images) {
      Sbom sbom = image.sbom();
      for (SbomFormat format : SbomFormat.values()) {
        files.put(SBOM_DIR + "/" + sbom.fileName(format), sbom.bytes(format));
      }
    }
    return files;
  }
}
