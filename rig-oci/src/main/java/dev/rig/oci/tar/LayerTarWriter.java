package dev.rig.oci.tar;

import dev.rig.oci.digest.DigestingOutputStream;
import dev.rig.oci.layer.Content;
import dev.rig.oci.layer.LayerEntry;
import dev.rig.oci.layer.LayerPlan;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Writes a planned layer as a tar and reports its diffID. The digest and size are taken from the
 * bytes as they pass through, never by reading the tar back.
 */
public final class LayerTarWriter {
  /**
   * Bumped whenever the tar bytes for the same plan would change, so cached input-key mappings made
   * by an older writer are not reused.
   */
  public static final String FORMAT_VERSION = "rig-tar-1";

  private LayerTarWriter() {}

  /**
   * Writes {@code plan} to {@code out} (which is not closed).
   *
   * @param mtimeSeconds the mtime of every entry (SOURCE_DATE_EPOCH or 0)
   */
  public static TarSummary write(LayerPlan plan, long mtimeSeconds, OutputStream out)
      throws IOException {
    DigestingOutputStream hashing = new DigestingOutputStream(out);
    TarStreamWriter tar = new TarStreamWriter(hashing, mtimeSeconds);
    for (LayerEntry entry : plan.entries()) {
      String name = entry.path().substring(1);
      switch (entry.type()) {
        case DIRECTORY -> tar.directory(name, entry.mode(), entry.uid(), entry.gid());
        case FILE -> {
          long size = entry.content().size();
          if (entry.content() instanceof Content.HostFile host) {
            tar.file(name, entry.mode(), entry.uid(), entry.gid(), size, host.path());
          } else {
            try (InputStream content = entry.content().open()) {
              tar.file(name, entry.mode(), entry.uid(), entry.gid(), size, content);
            }
          }
        }
        case SYMLINK -> tar.symlink(name, entry.linkTarget(), entry.uid(), entry.gid());
        case HARDLINK ->
            tar.hardlink(
                name, entry.linkTarget().substring(1), entry.mode(), entry.uid(), entry.gid());
      }
    }
    tar.finish();
    return new TarSummary(hashing.digest(), hashing.count());
  }
}
