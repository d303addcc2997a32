package dev.rig.build.memo;

import dev.rig.oci.digest.Digest;
import dev.rig.oci.image.Descriptor;
import dev.rig.oci.image.ImageIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether an OCI layout still holds what a memo entry says a build wrote there: index.json names
 * the manifest under the image's reference, every blob is there with its size, and the SBOMs are
 * beside it. Sizes, not hashes: the same check the layout writer makes before it leaves a blob
 * alone, so a deleted or truncated blob is rebuilt and written again either way.
 */
public final class LayoutCheck {
  private LayoutCheck() {}

  public static boolean holds(Path layout, MemoEntry entry) {
    try {
      ImageIndex index = ImageIndex.parse(Files.readAllBytes(layout.resolve("index.json")));
      if (!Files.isRegularFile(layout.resolve("oci-layout")) || !names(index, entry)) {
        return false;
      }
      Path blobs = layout.resolve("blobs");
      for (MemoEntry.Blob blob : entry.blobs()) {
        Digest digest = Digest.parse(blob.digest());
        Path file = blobs.resolve(digest.algorithm()).resolve(digest.hex());
        if (!Files.isRegularFile(file) || Files.size(file) != blob.size()) {
          return false;
        }
      }
      for (String side : entry.sideFiles()) {
        Path file = layout.resolve(side);
        if (!Files.isRegularFile(file) || Files.size(file) == 0) {
          return false;
        }
      }
      return true;
    } catch (IOException | RuntimeException e) {
      // An unreadable layout is rebuilt; the writer then says what is wrong with it.
      return false;
    }
  }

  /** The last entry with the reference wins, as it does for the layout's readers. */
  private static boolean names(ImageIndex index, MemoEntry entry) {
    String found = null;
    for (Descriptor manifest : index.manifests()) {
      if (entry.reference().equals(manifest.annotations().get(ImageIndex.REF_NAME))) {
        found = manifest.digest().toString();
      }
    }
    return entry.digest().equals(found);
  }
}
