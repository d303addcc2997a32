package dev.rig.build.packages;

import dev.rig.apt.deb.DataDecoder;
import dev.rig.build.rootfs.ImageRoot;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decodes a .deb's data.tar.xz with the image's own dpkg-deb ({@code dpkg-deb --fsys-tarfile}), run
 * in the sandbox from a root that holds it: the locked dpkg and liblzma, not the host's. Native
 * liblzma decodes about half again as fast as xz-java on one core, and dpkg-deb decodes the many xz
 * blocks of the large CUDA packages on all cores. The bytes are the ones xz-java gives (xz is
 * lossless and checks each block), so the choice changes how long an install takes, never what it
 * holds. Other members (gzip, zstd, plain) are decoded in this process, as fast.
 */
final class ImageDpkgDecoder implements DataDecoder, AutoCloseable {
  private static final String DEB = "/tmp/rig-deb";
  private static final long TIMEOUT_SECONDS = 1800;

  private final Sandbox sandbox;
  private final Set<Sandbox.Started> running;
  private final boolean oneThread;

  private ImageDpkgDecoder(Sandbox sandbox, Set<Sandbox.Started> running, boolean oneThread) {
    this.sandbox = sandbox;
    this.running = running;
    this.oneThread = oneThread;
  }

  /**
   * The same decoder, each dpkg-deb on one thread ({@code --threads-max=1}): for packages decoded
   * ahead, beside a dpkg that must keep its core. Closing either stops the decoders of both.
   */
  ImageDpkgDecoder oneThread() {
    return new ImageDpkgDecoder(sandbox, running, true);
  }

  /** The same decoder, each dpkg-deb at the lowest CPU priority ({@link Sandbox#niced}). */
  ImageDpkgDecoder niced() {
    return new ImageDpkgDecoder(sandbox.niced(), running, oneThread);
  }

  /**
   * A decoder that runs dpkg-deb from {@code root}, which it mounts read-only, when the root holds
   * one that runs; empty otherwise (no dpkg there, or one whose libraries are missing).
   */
  static Optional<ImageDpkgDecoder> of(Path root, long sourceDateEpoch) throws IOException {
    if (!ImageRoot.of(root).isRegularFile("usr/bin/dpkg-deb")) {
      return Optional.empty();
    }
    Sandbox sandbox = Sandbox.of(root, sourceDateEpoch);
    try (Sandbox.Started probe = sandbox.start(List.of("dpkg-deb", "--version"), Map.of())) {
      probe.output().transferTo(OutputStream.nullOutputStream());
      if (probe.finish(60).exitCode() != 0) {
        return Optional.empty();
      }
    }
    return Optional.of(new ImageDpkgDecoder(sandbox, ConcurrentHashMap.newKeySet(), false));
  }

  @Override
  public InputStream open(Path deb, String member, long offset, long length) throws IOException {
    if (!member.endsWith(".xz")) {
      return DataDecoder.IN_PROCESS.open(deb, member, offset, length);
    }
    List<String> command =
        oneThread
            ? List.of("dpkg-deb", "--threads-max=1", "--fsys-tarfile", DEB)
            : List.of("dpkg-deb", "--fsys-tarfile", DEB);
    Sandbox.Started started = sandbox.start(command, Map.of(DEB, deb));
    running.add(started);
    return new Decoded(started, deb, member, running);
  }

  /** Stops every decoder still running: a thread reading one's output is not interruptible. */
  @Override
  public void close() {
    for (Sandbox.Started started : running) {
      started.close();
    }
  }

  /** The decoder's output; closing it after the end checks the exit, before stops the decoder. */
  private static final class Decoded extends FilterInputStream {
    private final Sandbox.Started started;
    private final Path deb;
    private final String member;
    private final Set<Sandbox.Started> running;
    private boolean ended;

    Decoded(Sandbox.Started started, Path deb, String member, Set<Sandbox.Started> running) {
      super(new BufferedInputStream(started.output(), 1 << 16));
      this.started = started;
      this.deb = deb;
      this.member = member;
      this.running = running;
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
          return;
        }
        Sandbox.Result result = started.finish(TIMEOUT_SECONDS);
        if (result.exitCode() != 0) {
          throw new IOException(
              "the image's dpkg-deb could not decode "
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
        running.remove(started);
        super.close();
      }
    }
  }
}
