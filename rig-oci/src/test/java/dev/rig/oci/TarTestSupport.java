package dev.rig.oci;

import dev.rig.oci.compress.Compression;
import dev.rig.oci.digest.Digest;
import dev.rig.oci.layer.LayerInput;
import dev.rig.oci.layer.LayerPlan;
import dev.rig.oci.tar.LayerTarWriter;
import dev.rig.oci.tar.TarSummary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Writes layers to memory for tests. */
public final class TarTestSupport {
  private TarTestSupport() {}

  public record Written(byte[] bytes, TarSummary summary) {}

  public static Written tar(LayerInput input, long mtime) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TarSummary summary = LayerTarWriter.write(LayerPlan.of(input), mtime, out);
    return new Written(out.toByteArray(), summary);
  }

  public static byte[] compress(byte[] bytes, Compression compression) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream c = compression.compress(out)) {
      c.write(bytes);
    }
    return out.toByteArray();
  }

  public static Digest digest(byte[] bytes) {
    return Digest.of(bytes);
  }
}
