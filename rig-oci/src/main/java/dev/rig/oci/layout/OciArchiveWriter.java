package dev.rig.oci.layout;

import dev.rig.oci.event.OciEvent;
import dev.rig.oci.event.OciEventListener;
import dev.rig.oci.image.ImageIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Writes images as an OCI layout inside a tar file ({@code oci-archive:FILE}; skopeo reads an image
 * back as {@code oci-archive:FILE:NAME:TAG}). The archive is deterministic and replaces any file at
 * the target only when complete.
 */
public final class OciArchiveWriter {
  private final OciEventListener listener;

  public OciArchiveWriter(OciEventListener listener) {
    this.listener = listener;
  }

  public void write(Path file, List<TaggedImage> images) throws IOException {
    write(file, images, Map.of());
  }

  /**
   * @param sideFiles files the archive carries beside the layout (such as {@code
   *     sbom/NAME.spdx.json}), by relative path: readers of the layout never look at them
   */
  public void write(Path file, List<TaggedImage> images, Map<String, byte[]> sideFiles)
      throws IOException {
    long start = System.nanoTime();
    DeterministicArchive archive = new DeterministicArchive();
    SideFiles.add(archive, sideFiles, List.of("oci-layout", "index.json", "blobs"));
    Blob.of(images).forEach(archive::addBlob);
    archive.addBytes("oci-layout", LayoutIndex.OCI_LAYOUT);
    archive.addBytes("index.json", LayoutIndex.merge(new ImageIndex(List.of()), images).toJson());
    archive.writeTo(file);
    listener.onEvent(
        new OciEvent.OutputWritten(
            file, images.size(), Duration.ofNanos(System.nanoTime() - start)));
  }
}
