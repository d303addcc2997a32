package dev.rig.registry.remote;

import dev.rig.oci.cache.BlobCache;
import dev.rig.oci.digest.Digest;
import dev.rig.oci.image.Descriptor;
import dev.rig.oci.image.ImageConfig;
import dev.rig.oci.image.ImageIndex;
import dev.rig.oci.image.ImageLayer;
import dev.rig.oci.image.ImageManifest;
import dev.rig.oci.image.MediaTypes;
import dev.rig.oci.image.Platform;
import dev.rig.oci.io.AtomicFiles;
import dev.rig.registry.PlatformChoice;
import dev.rig.registry.RegistryClient;
import dev.rig.registry.endpoint.BlobFetcher;
import dev.rig.registry.endpoint.FetchedManifest;
import dev.rig.registry.endpoint.ManifestFetcher;
import dev.rig.registry.http.RegistryCaller;
import dev.rig.registry.model.ImageReference;
import dev.rig.registry.model.RegistryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resolves a registry reference to a {@link RemoteImage}: the manifest for one platform and its
 * config, fetched now; the layers, fetched only when read. Manifests and configs are kept in the
 * blob cache by digest, so a reference that carries a digest resolves offline the second time.
 */
public final class RemoteImages {
  private final RegistryClient client;
  private final BlobCache cache;

  public RemoteImages(RegistryClient client, BlobCache cache) {
    this.client = client;
    this.cache = cache;
  }

  public RemoteImage resolve(ImageReference reference, Platform platform) throws IOException {
    Manifests manifests = new Manifests(reference);
    String top = reference.digest().map(Digest::toString).orElseGet(() -> reference.tag().get());
    FetchedManifest fetched = manifests.get(top);
    ImageReference pinned =
        new ImageReference(
            reference.registry(),
            reference.repository(),
            reference.tag(),
            Optional.of(fetched.digest()));
    if (MediaTypes.isIndex(fetched.mediaType())) {
      ImageIndex index;
      try {
        index = ImageIndex.parse(fetched.bytes());
      } catch (IllegalArgumentException e) {
        throw new RegistryException(reference + " has an invalid index: " + e.getMessage(), e);
      }
      Descriptor chosen = PlatformChoice.choose(index, platform, reference.toString());
      fetched = manifests.get(chosen.digest().toString());
    }
    if (!MediaTypes.isManifest(fetched.mediaType())) {
      throw new RegistryException(
          reference + " is a " + fetched.mediaType() + ", not an image manifest rig can read");
    }
    ImageManifest manifest;
    ImageConfig config;
    try {
      manifest = ImageManifest.parse(fetched.bytes());
      config = ImageConfig.parse(configBytes(manifests, manifest.config()));
    } catch (IllegalArgumentException e) {
      throw new RegistryException(reference + " is not a valid image: " + e.getMessage(), e);
    }
    if (config.diffIds().size() != manifest.layers().size()) {
      throw new RegistryException(
          reference
              + ": the config lists "
              + config.diffIds().size()
              + " diff_ids but the manifest "
              + manifest.layers().size()
              + " layers");
    }
    List<ImageLayer> layers = new ArrayList<>();
    for (int i = 0; i < manifest.layers().size(); i++) {
      Descriptor layer = manifest.layers().get(i);
      layers.add(
          new ImageLayer(
              layer,
              config.diffIds().get(i),
              new LazyRegistryBlob(client, reference, layer, cache.blobPath(layer.digest()))));
    }
    return new RemoteImage(reference, pinned, fetched.digest(), manifest, config, layers);
  }

  private byte[] configBytes(Manifests manifests, Descriptor config) throws IOException {
    Path file = cache.blobPath(config.digest());
    if (Files.isRegularFile(file)) {
      byte[] bytes = Files.readAllBytes(file);
      if (Digest.of(bytes).equals(config.digest())) {
        return bytes;
      }
    }
    new BlobFetcher(manifests.caller()).fetch(config.digest(), config.size(), file);
    return Files.readAllBytes(file);
  }

  /** Manifests by reference, from the cache when the reference is a digest it holds. */
  private final class Manifests {
    private final ImageReference reference;
    private RegistryCaller caller;

    Manifests(ImageReference reference) {
      this.reference = reference;
    }

    RegistryCaller caller() throws IOException {
      if (caller == null) {
        caller = client.pullCaller(reference);
      }
      return caller;
    }

    FetchedManifest get(String ref) throws IOException {
      if (ref.startsWith("sha256:")) {
        Optional<FetchedManifest> cached = cached(Digest.parse(ref));
        if (cached.isPresent()) {
          return cached.get();
        }
      }
      FetchedManifest fetched = new ManifestFetcher(caller()).fetch(ref);
      remember(fetched);
      return fetched;
    }

    private Optional<FetchedManifest> cached(Digest digest) throws IOException {
      Path body = cache.blobPath(digest);
      Path type = mediaTypeFile(digest);
      if (!Files.isRegularFile(body) || !Files.isRegularFile(type)) {
        return Optional.empty();
      }
      byte[] bytes = Files.readAllBytes(body);
      if (!Digest.of(bytes).equals(digest)) {
        Files.deleteIfExists(body);
        return Optional.empty();
      }
      return Optional.of(
          new FetchedManifest(
              Files.readString(type, StandardCharsets.UTF_8).trim(), digest, bytes));
    }

    private void remember(FetchedManifest fetched) throws IOException {
      Path body = cache.blobPath(fetched.digest());
      Files.createDirectories(body.getParent());
      AtomicFiles.write(body, fetched.bytes());
      Path type = mediaTypeFile(fetched.digest());
      Files.createDirectories(type.getParent());
      AtomicFiles.write(type, fetched.mediaType().getBytes(StandardCharsets.UTF_8));
    }

    private Path mediaTypeFile(Digest digest) {
      return cache.root().resolve("manifest-types").resolve(digest.hex());
    }
  }
}
