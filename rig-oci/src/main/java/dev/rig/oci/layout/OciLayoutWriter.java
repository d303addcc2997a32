package dev.rig.oci.layout;

import dev.rig.oci.OciException;
import dev.rig.oci.event.OciEvent;
import dev.rig.oci.event.OciEventListener;
import dev.rig.oci.image.ImageIndex;
import dev.rig.oci.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes images into an OCI image layout directory ({@code oci-layout}, {@code index.json}, {@code
 * blobs/sha256/}), merging with a layout already there.
 *
 * <p>oci-layout is written first, then blobs (each atomically; one already present with the right
 * size is left alone), index.json last (atomically), so an interrupted write leaves the old index
 * valid. Blobs with a file source are hard-linked when source and layout share a file system (after
 * verifying the source's hash), copied with verification otherwise. Blobs no longer referenced are
 * not removed.
 */
public final class OciLayoutWriter {
  private final OciEventListener listener;

  public OciLayoutWriter(OciEventListener listener) {
    this.listener = listener;
  }

  /**
   * Writes {@code images} into the layout at {@code dir}, creating it if needed.
   *
   * @throws OciException when {@code dir} holds something other than an OCI layout, or a blob is
   *     corrupt
   */
  public void write(Path dir, List<TaggedImage> images) throws IOException {
    long start = System.nanoTime();
    ImageIndex existing = existingIndex(dir);
    // oci-layout first: a write interrupted after this point leaves a directory that the next
    // write recognises as a layout (and a reader reports as having no index.json).
    Path layoutFile = dir.resolve("oci-layout");
    if (!Files.exists(layoutFile)) {
      AtomicFiles.write(layoutFile, LayoutIndex.OCI_LAYOUT);
    }
    Path blobs = dir.resolve("blobs").resolve("sha256");
    Files.createDirectories(blobs);
    for (Blob blob : Blob.of(images)) {
      place(blob, blobs.resolve(blob.digest().hex()));
    }
    AtomicFiles.write(dir.resolve("index.json"), LayoutIndex.merge(existing, images).toJson());
    listener.onEvent(
        new OciEvent.OutputWritten(
            dir, images.size(), Duration.ofNanos(System.nanoTime() - start)));
  }

  private static ImageIndex existingIndex(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return new ImageIndex(List.of());
    }
    if (!Files.isDirectory(dir)) {
      throw new OciException("cannot write an OCI layout to " + dir + ": it is not a directory");
    }
    if (!Files.exists(dir.resolve("oci-layout"))) {
      try (Stream<Path> children = Files.list(dir)) {
        if (children.findAny().isPresent()) {
          throw new OciException(
              "cannot write an OCI layout to "
                  + dir
                  + ": the directory is not empty and has no oci-layout file");
        }
      }
      return new ImageIndex(List.of());
    }
    Path index = dir.resolve("index.json");
    try {
      return ImageIndex.parse(Files.readAllBytes(index));
    } catch (NoSuchFileException e) {
      return new ImageIndex(List.of());
    } catch (IllegalArgumentException e) {
      throw new OciException(index + " is not a valid OCI index: " + e.getMessage(), e);
    }
  }

  private void place(Blob blob, Path target) throws IOException {
    if (Files.exists(target) && Files.size(target) == blob.size()) {
      listener.onEvent(new OciEvent.BlobPresent(blob.digest(), target));
      return;
    }
    boolean linked = blob.source().file().isPresent() && tryLink(blob, target);
    if (!linked) {
      AtomicFiles.write(target, (OutputStream out) -> VerifiedCopy.copy(blob, out));
    }
    listener.onEvent(new OciEvent.BlobWritten(blob.digest(), blob.size(), target, linked));
  }

  /**
   * Verifies the source (unless this build hashed it as it wrote it), then hard-links it into
   * place; false when linking is not possible.
   */
  private static boolean tryLink(Blob blob, Path target) throws IOException {
    Path source = blob.source().file().orElseThrow();
    if (!blob.source().hashedWhenWritten()) {
      VerifiedCopy.copy(blob, OutputStream.nullOutputStream());
    }
    Path temp = AtomicFiles.newTemp(target);
    try {
      Files.delete(temp);
      Files.createLink(temp, source);
      AtomicFiles.commit(temp, target);
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
