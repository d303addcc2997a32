package dev.rig.registry.remote;

import dev.rig.oci.image.BlobSource;
import dev.rig.oci.image.Descriptor;
import dev.rig.registry.RegistryClient;
import dev.rig.registry.endpoint.BlobFetcher;
import dev.rig.registry.model.ImageReference;
import dev.rig.registry.model.RegistryEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A base-image layer that stays in its registry until something reads it; the first read downloads
 * it (verified) into rig's blob cache, later reads and builds use the cached file.
 */
final class LazyRegistryBlob implements BlobSource {
  private final RegistryClient client;
  private final ImageReference source;
  private final Descriptor blob;
  private final Path cacheFile;

  LazyRegistryBlob(RegistryClient client, ImageReference source, Descriptor blob, Path cacheFile) {
    this.client = client;
    this.source = source;
    this.blob = blob;
    this.cacheFile = cacheFile;
  }

  @Override
  public synchronized InputStream open() throws IOException {
    if (!cached()) {
      long start = System.nanoTime();
      new BlobFetcher(client.pullCaller(source), client.listener())
          .fetch(blob.digest(), blob.size(), cacheFile);
      client
          .listener()
          .onEvent(
              new RegistryEvent.BlobDownloaded(
                  blob.digest(), blob.size(), Duration.ofNanos(System.nanoTime() - start)));
    }
    return Files.newInputStream(cacheFile);
  }

  @Override
  public Optional<Path> file() {
    return cached() ? Optional.of(cacheFile) : Optional.empty();
  }

  @Override
  public void discardCorrupt() throws IOException {
    Files.deleteIfExists(cacheFile);
  }

  private boolean cached() {
    try {
      return Files.isRegularFile(cacheFile) && Files.size(cacheFile) == blob.size();
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return source.registry() + "/" + source.repository() + "@" + blob.digest();
  }
}
