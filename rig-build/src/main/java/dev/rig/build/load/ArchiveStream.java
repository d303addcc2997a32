package dev.rig.build.load;

import dev.rig.build.result.BuiltImage;
import dev.rig.oci.OciException;
import dev.rig.oci.event.OciEventListener;
import dev.rig.oci.layout.DockerArchiveWriter;
import dev.rig.oci.layout.TaggedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Loads images by streaming a docker archive into {@code ENGINE load}: no archive file is written
 * by rig, and layers go straight from the cache into the engine, decompressed on the way (see
 * {@link DockerArchiveWriter.Layers#UNCOMPRESSED}). The way for docker, whose daemon may not share
 * this machine's loopback address; podman copies its input to a temp file first, so it is given
 * {@link LoopbackPull} instead.
 */
final class ArchiveStream {
  private final ContainerRuntime runtime;

  ArchiveStream(ContainerRuntime runtime) {
    this.runtime = runtime;
  }

  /** Returns what the engine printed (e.g. "Loaded image: ..."). */
  String load(List<BuiltImage> images, LoadProgress progress)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(runtime.executable().toString(), "load")
            .redirectErrorStream(true)
            .start();
    CompletableFuture<String> output = EngineCommand.drain(process.getInputStream());
    IOException writeFailure = null;
    try (OutputStream stdin = progress.counting(process.getOutputStream())) {
      // Uncompressed layers: the engine would otherwise gunzip each one on a single thread (a
      // 1.2 GB gzip image loaded into podman in 30 s this way against 11 s uncompressed).
      new DockerArchiveWriter(OciEventListener.NONE, DockerArchiveWriter.Layers.UNCOMPRESSED)
          .write(
              stdin, images.stream().map(i -> new TaggedImage(i.reference(), i.image())).toList());
    } catch (IOException e) {
      // A broken pipe means the engine gave up early; its own message says why.
      writeFailure = e;
    }
    int code = process.waitFor();
    String printed = output.join().strip();
    if (writeFailure instanceof OciException damaged) {
      // A damaged cache blob: the engine only saw a short archive.
      throw damaged;
    }
    if (code != 0 || writeFailure != null) {
      throw new IOException(
          runtime.kind()
              + " load failed (exit "
              + code
              + "): "
              + (printed.isEmpty() && writeFailure != null ? writeFailure.getMessage() : printed));
    }
    return printed;
  }
}
