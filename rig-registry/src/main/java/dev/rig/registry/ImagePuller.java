package dev.rig.registry;

import dev.rig.oci.digest.Digest;
import dev.rig.oci.event.OciEventListener;
import dev.rig.oci.image.AssembledImage;
import dev.rig.oci.image.BlobSource;
import dev.rig.oci.image.Descriptor;
import dev.rig.oci.image.ImageConfig;
import dev.rig.oci.image.ImageIndex;
import dev.rig.oci.image.ImageLayer;
import dev.rig.oci.image.ImageManifest;
import dev.rig.oci.image.MediaTypes;
import dev.rig.oci.image.Platform;
import dev.rig.oci.io.AtomicFiles;
import dev.rig.oci.layout.OciLayoutWriter;
import dev.rig.oci.layout.TaggedImage;
import dev.rig.registry.endpoint.BlobFetcher;
import dev.rig.registry.endpoint.FetchedManifest;
import dev.rig.registry.endpoint.ManifestFetcher;
import dev.rig.registry.http.RegistryCaller;
import dev.rig.registry.model.ImageReference;
import dev.rig.registry.model.PullResult;
import dev.rig.registry.model.RegistryEvent;
import dev.rig.registry.model.RegistryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Pulls one platform of an image into an OCI layout: manifest (resolving an index to the platform),
 * config and layers, each verified against its digest. Layers the layout already has (right size)
 * are not downloaded again.
 */
public final class ImagePuller {
  private final RegistryClient client;

  public ImagePuller(RegistryClient client) {
    this.client = client;
  }

  /**
   * Pulls {@code source} for {@code platform} into the layout at {@code layout}, named {@code
   * refName} in its index.json.
   */
  public PullResult pull(ImageReference source, Platform platform, Path layout, String refName)
      throws IOException {
    RegistryCaller caller = client.pullCaller(source);
    ManifestFetcher manifests = new ManifestFetcher(caller);
    FetchedManifest fetched = manifests.fetch(source.manifestReference());
    if (MediaTypes.isIndex(fetched.mediaType())) {
      ImageIndex index;
      try {
        index = ImageIndex.parse(fetched.bytes());
      } catch (IllegalArgumentException e) {
        throw new RegistryException("index of " + source + " is invalid: " + e.getMessage(), e);
      }
      Descriptor chosen = PlatformChoice.choose(index, platform, source.toString());
      fetched = manifests.fetch(chosen.digest().toString());
    }
    if (!MediaTypes.isManifest(fetched.mediaType())) {
      throw new RegistryException(
          "registry "
              + caller.registry()
              + ": "
              + source
              + " is a "
              + fetched.mediaType()
              + ", not an image manifest rig can read");
    }
    ImageManifest manifest;
    try {
      manifest = ImageManifest.parse(fetched.bytes());
    } catch (IllegalArgumentException e) {
      throw new RegistryException("manifest of " + source + " is invalid: " + e.getMessage(), e);
    }
    prepareLayout(layout);
    BlobFetcher blobs = new BlobFetcher(caller, client.listener());
    Path configPath = blobPath(layout, manifest.config().digest());
    blobs.fetch(manifest.config().digest(), manifest.config().size(), configPath);
    byte[] configJson = Files.readAllBytes(configPath);
    ImageConfig config;
    try {
      config = ImageConfig.parse(configJson);
    } catch (IllegalArgumentException e) {
      throw new RegistryException("config of " + source + " is invalid: " + e.getMessage(), e);
    }
    if (config.diffIds().size() != manifest.layers().size()) {
      throw new RegistryException(
          source
              + ": the config lists "
              + config.diffIds().size()
              + " diff_ids but the manifest "
              + manifest.layers().size()
              + " layers");
    }
    int downloaded = 0;
    int present = 0;
    long bytes = 0;
    List<ImageLayer> layers = new ArrayList<>();
    for (int i = 0; i < manifest.layers().size(); i++) {
      Descriptor layer = manifest.layers().get(i);
      Path target = blobPath(layout, layer.digest());
      if (Files.exists(target) && Files.size(target) == layer.size()) {
        present++;
        client.listener().onEvent(new RegistryEvent.BlobPresentLocally(layer.digest()));
      } else {
        long t0 = System.nanoTime();
        blobs.fetch(layer.digest(), layer.size(), target);
        downloaded++;
        bytes += layer.size();
        client
            .listener()
            .onEvent(
                new RegistryEvent.BlobDownloaded(
                    layer.digest(), layer.size(), Duration.ofNanos(System.nanoTime() - t0)));
      }
      layers.add(new ImageLayer(layer, config.diffIds().get(i), BlobSource.ofFile(target)));
    }
    Descriptor manifestDescriptor =
        Descriptor.of(fetched.mediaType(), fetched.digest(), fetched.bytes().length);
    AssembledImage image =
        new AssembledImage(
            config, configJson, manifest.config(), fetched.bytes(), manifestDescriptor, layers);
    new OciLayoutWriter(OciEventListener.NONE)
        .write(layout, List.of(new TaggedImage(refName, image)));
    return new PullResult(source, fetched.digest(), layout, refName, downloaded, present, bytes);
  }

  /** Marks the directory as a layout before blobs go in, so the layout writer accepts it. */
  private static void prepareLayout(Path layout) throws IOException {
    Files.createDirectories(layout.resolve("blobs").resolve("sha256"));
    Path marker = layout.resolve("oci-layout");
    if (!Files.exists(marker)) {
      AtomicFiles.write(
          marker, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
    }
  }

  private static Path blobPath(Path layout, Digest digest) {
    return layout.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
  }
}
