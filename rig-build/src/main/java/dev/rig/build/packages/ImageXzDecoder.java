package dev.rig.build.packages;

import dev.rig.apt.deb.DataDecoder;
import dev.rig.build.rootfs.ImageRoot;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decodes a .deb's data.tar.xz with the xz of the image's own stage below, run in the sandbox: the
 * locked xz-utils, not the host's. Native liblzma decodes about half again as fast as xz-java on
 * one core, and the large CUDA packages are written in many xz blocks, which it decodes on all
 * cores. The bytes are the ones xz-java gives (xz is lossless and checks each block's CRC), so the
 * choice changes how long a stage takes, never what it holds. Other members (gzip, zstd, plain) are
 * decoded in this process.
 */
final class ImageXzDecoder implements DataDecoder {
  private static final String DEB = "/tmp/rig-deb";
  private static final long TIMEOUT_SECONDS = 1800;

  private final Sandbox sandbox;
  private final int threads;

  private ImageXzDecoder(Sandbox sandbox, int threads) {
    this.sandbox = sandbox;
    this.threads = threads;
  }

  /**
   * A decoder for packages installed into {@code root}, when it already holds the xz and dd the
   * command needs (a stage above the first, whose stage below has xz-utils); empty otherwise.
   */
  static Optional<DataDecoder> of(Path root, long sourceDateEpoch) throws IOException {
    ImageRoot image = ImageRoot.of(root);
    if (!image.isRegularFile("usr/bin/xz") || !image.isRegularFile("usr/bin/dd")) {
      return Optional.empty();
    }
    int threads = Runtime.getRuntime().availableProcessors();
    return Optional.of(new ImageXzDecoder(Sandbox.of(root, sourceDateEpoch), threads));
  }

  @Override
  public InputStream open(Path deb, String member, long offset, long length) throws IOException {
    if (!member.endsWith(".xz")) {
      return DataDecoder.IN_PROCESS.open(deb, member, offset, length);
    }
    // dd cuts the member out of the .deb (mounted read-only), xz decodes it to stdout.
    List<String> command =
        List.of(
            "/bin/sh",
            "-c",
            "dd if="
                + DEB
                + " bs=1M iflag=skip_bytes,count_bytes skip=$1 count=$2 status=none"
                + " | xz --decompress --stdout --threads=$3",
            "sh",
            Long.toString(offset),
            Long.toString(length),
            Integer.toString(threads));
    Sandbox.Started started = sandbox.start(command, Map.of(DEB, deb));
    return new Decoded(started, deb, member);
  }

  /** The decoder's output; closing it after the end checks the exit, before stops the decoder. */
  private static final class Decoded extends FilterInputStream {
    private final Sandbox.Started started;
    private final Path deb;
    private final String member;
    private boolean ended;

    Decoded(Sandbox.Started started, Path deb, String member) {
      super(new BufferedInputStream(started.output(), 1 << 16));
      this.started = started;
      this.deb = deb;
      this.member = member;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      ended |= b < 0;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      ended |= n < 0;
      return n;
    }

    @Override
    public void close() throws IOException {
      try {
        if (!ended) {
          started.close();
          return;
        }
        Sandbox.Result result = started.finish(TIMEOUT_SECONDS);
        if (result.exitCode() != 0) {
          throw new IOException(
              "the image's xz could not decode "
                  + member
                  + " of "
                  + deb.getFileName()
                  + " (exit "
                  + result.exitCode()
                  + "): "
                  + result.output().strip());
        }
      } finally {
        started.close();
        super.close();
      }
    }
  }
}
