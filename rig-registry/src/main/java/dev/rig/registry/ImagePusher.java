package dev.rig.registry;

import dev.rig.oci.digest.Digest;
import dev.rig.oci.image.AssembledImage;
import dev.rig.oci.image.BlobSource;
import dev.rig.oci.image.Descriptor;
import dev.rig.oci.image.ImageLayer;
import dev.rig.oci.io.Tasks;
import dev.rig.registry.endpoint.BlobChecker;
import dev.rig.registry.endpoint.BlobMounter;
import dev.rig.registry.endpoint.BlobUploader;
import dev.rig.registry.endpoint.ManifestFetcher;
import dev.rig.registry.endpoint.ManifestPusher;
import dev.rig.registry.endpoint.UploadSession;
import dev.rig.registry.endpoint.UploadStarter;
import dev.rig.registry.http.RegistryCaller;
import dev.rig.registry.model.ImageReference;
import dev.rig.registry.model.PushResult;
import dev.rig.registry.model.RegistryEvent;
import dev.rig.registry.model.RegistryException;
import dev.rig.registry.model.RegistryListener;
import dev.rig.registry.model.RegistryOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Pushes an image: for each layer, HEAD first (skip what the repository has), else mount from
 * {@code mountFrom} when given, else upload, a few layers at a time; then the config; then the
 * manifest by tag, last, so the tag never points at an image with missing blobs.
 */
public final class ImagePusher {
  private final RegistryClient client;

  public ImagePusher(RegistryClient client) {
    this.client = client;
  }

  /** Pushes {@code image} to {@code target} (which must have a tag). */
  public PushResult push(AssembledImage image, ImageReference target) throws IOException {
    return push(image, target, Optional.empty());
  }

  /**
   * Pushes {@code image} to {@code target}, mounting blobs the repository lacks from {@code
   * mountFrom} (a repository on the same registry, e.g. the one the base image came from).
   */
  public PushResult push(AssembledImage image, ImageReference target, Optional<String> mountFrom)
      throws IOException {
    if (target.tag().isEmpty()) {
      throw new IllegalArgumentException(
          "cannot push to " + target + ": give a tag (a digest is computed by the push)");
    }
    long start = System.nanoTime();
    RegistryCaller caller = client.pushCaller(target, mountFrom.map(List::of).orElse(List.of()));
    RegistryOptions options = client.options();
    // An unchanged image: the tag already names this manifest, and a registry accepts a manifest
    // only once all its blobs are there. One HEAD request replaces a HEAD per blob.
    Digest ours = image.manifestDescriptor().digest();
    if (new ManifestFetcher(caller).head(target.tag().get()).filter(ours::equals).isPresent()) {
      int blobs = (int) image.layers().stream().map(l -> l.blob().digest()).distinct().count() + 1;
      client.listener().onEvent(new RegistryEvent.ManifestPushed(target.toString(), ours));
      return new PushResult(
          target, ours, 0, blobs, 0, 0, Duration.ofNanos(System.nanoTime() - start));
    }
    // A blob listed twice (the same layer at two places) is sent once.
    Map<Digest, BlobJob> jobs = new LinkedHashMap<>();
    for (ImageLayer layer : image.layers()) {
      jobs.putIfAbsent(layer.blob().digest(), new BlobJob(layer.blob(), layer.source()));
    }
    List<Outcome> outcomes = new ArrayList<>();
    ExecutorService pool = Tasks.daemonPool("rig-push", options.parallelUploads());
    try {
      List<Future<Outcome>> futures = new ArrayList<>();
      for (BlobJob job : jobs.values()) {
        futures.add(pool.submit(() -> send(caller, job, mountFrom)));
      }
      for (Future<Outcome> f : futures) {
        outcomes.add(Tasks.await(f, "pushing blobs"));
      }
    } finally {
      pool.shutdownNow();
    }
    Descriptor config = image.configDescriptor();
    outcomes.add(
        send(caller, new BlobJob(config, BlobSource.ofBytes(image.configJson())), mountFrom));
    Digest digest =
        new ManifestPusher(caller)
            .push(target.tag().get(), image.manifestJson(), image.manifestDescriptor().mediaType());
    client.listener().onEvent(new RegistryEvent.ManifestPushed(target.toString(), digest));
    return new PushResult(
        target,
        digest,
        count(outcomes, Kind.UPLOADED),
        count(outcomes, Kind.SKIPPED),
        count(outcomes, Kind.MOUNTED),
        outcomes.stream().filter(o -> o.kind == Kind.UPLOADED).mapToLong(o -> o.bytes).sum(),
        Duration.ofNanos(System.nanoTime() - start));
  }

  private Outcome send(RegistryCaller caller, BlobJob job, Optional<String> mountFrom)
      throws IOException {
    Digest digest = job.descriptor.digest();
    long size = job.descriptor.size();
    RegistryListener listener = client.listener();
    if (new BlobChecker(caller).exists(digest)) {
      listener.onEvent(new RegistryEvent.BlobSkipped(caller.repository(), digest, size));
      return new Outcome(Kind.SKIPPED, 0);
    }
    UploadSession session;
    if (mountFrom.isPresent() && !mountFrom.get().equals(caller.repository())) {
      Optional<UploadSession> declined = new BlobMounter(caller).mount(digest, mountFrom.get());
      if (declined.isEmpty()) {
        listener.onEvent(
            new RegistryEvent.BlobMounted(caller.repository(), digest, mountFrom.get()));
        return new Outcome(Kind.MOUNTED, 0);
      }
      listener.onEvent(
          new RegistryEvent.MountDeclined(caller.repository(), digest, mountFrom.get()));
      session = declined.get();
    } else {
      session = new UploadStarter(caller).start("upload blob " + digest);
    }
    long t0 = System.nanoTime();
    RegistryOptions options = client.options();
    BlobUploader uploader =
        new BlobUploader(caller, options.chunkSize(), options.monolithicLimit(), listener);
    try {
      uploader.upload(session, digest, size, job.source);
    } catch (RegistryException e) {
      if (!restartable(e)) {
        throw e;
      }
      // The session is lost or out of step (a chunk half-received before a dropped connection
      // gives 416; an expired session 404): start over once with a fresh session.
      listener.onEvent(
          new RegistryEvent.Retrying(
              "restart upload of blob " + digest, 1, Duration.ZERO, "HTTP " + e.status()));
      uploader.upload(
          new UploadStarter(caller).start("upload blob " + digest), digest, size, job.source);
    }
    listener.onEvent(
        new RegistryEvent.BlobUploaded(
            caller.repository(), digest, size, Duration.ofNanos(System.nanoTime() - t0)));
    return new Outcome(Kind.UPLOADED, size);
  }

  private static boolean restartable(RegistryException e) {
    return e.status() == 416 || e.status() == 404;
  }

  private static int count(List<Outcome> outcomes, Kind kind) {
    return (int) outcomes.stream().filter(o -> o.kind == kind).count();
  }

  private enum Kind {
    UPLOADED,
    SKIPPED,
    MOUNTED
  }

  private record Outcome(Kind kind, long bytes) {}

  private record BlobJob(Descriptor descriptor, BlobSource source) {}
}
