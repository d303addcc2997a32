package dev.rig.oci.layout;

import dev.rig.oci.OciException;
import dev.rig.oci.digest.Digest;
import dev.rig.oci.image.BlobSource;
import dev.rig.oci.image.Descriptor;
import dev.rig.oci.image.ImageConfig;
import dev.rig.oci.image.ImageIndex;
import dev.rig.oci.image.ImageLayer;
import dev.rig.oci.image.ImageManifest;
import dev.rig.oci.image.Json;
import dev.rig.oci.image.MediaTypes;
import dev.rig.oci.image.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads images from an OCI image layout directory. Small documents (index, manifest, config) are
 * verified against their digests; layer blobs are checked for presence and size here and hashed
 * when an output copies them.
 */
public final class OciLayoutReader {
  private final Path dir;
  private final ImageIndex index;

  private OciLayoutReader(Path dir, ImageIndex index) {
    this.dir = dir;
    this.index = index;
  }

  /**
   * Opens a layout.
   *
   * @throws OciException when {@code dir}, its oci-layout or index.json is missing or invalid
   */
  public static OciLayoutReader open(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new OciException("OCI layout " + dir + " does not exist or is not a directory");
    }
    Path layoutFile = dir.resolve("oci-layout");
    try {
      String version =
          Json.requiredText(
              Json.parseObject(Files.readAllBytes(layoutFile), "oci-layout"),
              "imageLayoutVersion",
              "oci-layout");
      if (!version.startsWith("1.")) {
        throw new OciException(layoutFile + ": unsupported imageLayoutVersion " + version);
      }
    } catch (NoSuchFileException e) {
      throw new OciException(dir + " is not an OCI layout: it has no oci-layout file");
    } catch (IllegalArgumentException e) {
      throw new OciException(layoutFile + " is invalid: " + e.getMessage(), e);
    }
    Path indexFile = dir.resolve("index.json");
    try {
      return new OciLayoutReader(dir, ImageIndex.parse(Files.readAllBytes(indexFile)));
    } catch (NoSuchFileException e) {
      throw new OciException("OCI layout " + dir + " has no index.json");
    } catch (IllegalArgumentException e) {
      throw new OciException(indexFile + " is invalid: " + e.getMessage(), e);
    }
  }

  public Path dir() {
    return dir;
  }

  public ImageIndex index() {
    return index;
  }

  /** The ref names in index.json, in order. */
  public List<String> refNames() {
    return index.manifests().stream().map(LayoutIndex::refName).filter(Objects::nonNull).toList();
  }

  /** Reads the linux/amd64 image named {@code ref}; see {@link #image(String, Platform)}. */
  public LayoutImage image(String ref) throws IOException {
    return image(ref, Platform.LINUX_AMD64);
  }

  /**
   * Reads the image named {@code ref}. A ref matches an index entry whose ref name annotation
   * equals it; failing that, {@code NAME:TAG} matches an entry named {@code TAG}, and {@code TAG}
   * matches a single entry named {@code ANYNAME:TAG}. An empty ref picks the only image of a
   * one-image layout. An entry that is itself an index is resolved to {@code platform}.
   *
   * @throws OciException when no entry or several different ones match, or a blob is missing or
   *     corrupt
   */
  public LayoutImage image(String ref, Platform platform) throws IOException {
    Descriptor entry = RefMatcher.find(index.manifests(), ref, dir);
    Descriptor manifestDescriptor = resolvePlatform(entry, platform, ref);
    ImageManifest manifest;
    try {
      manifest = ImageManifest.parse(readSmallBlob(manifestDescriptor, "manifest of " + ref));
    } catch (IllegalArgumentException e) {
      throw new OciException(where(manifestDescriptor) + ": " + e.getMessage(), e);
    }
    byte[] configJson = readSmallBlob(manifest.config(), "config of " + ref);
    ImageConfig config;
    try {
      config = ImageConfig.parse(configJson);
    } catch (IllegalArgumentException e) {
      throw new OciException(where(manifest.config()) + ": " + e.getMessage(), e);
    }
    if (config.diffIds().size() != manifest.layers().size()) {
      throw new OciException(
          "image "
              + ref
              + " in "
              + dir
              + ": config lists "
              + config.diffIds().size()
              + " diff_ids but the manifest has "
              + manifest.layers().size()
              + " layers");
    }
    List<ImageLayer> layers = new ArrayList<>();
    for (int i = 0; i < manifest.layers().size(); i++) {
      Descriptor layer = manifest.layers().get(i);
      Path blob = checkedBlobPath(layer, "layer " + i + " of " + ref);
      layers.add(new ImageLayer(layer, config.diffIds().get(i), BlobSource.ofFile(blob)));
    }
    return new LayoutImage(
        LayoutIndex.refName(entry) == null ? ref : LayoutIndex.refName(entry),
        manifestDescriptor,
        manifest,
        configJson,
        config,
        layers);
  }

  /** The file of a blob in this layout (whether or not it exists). */
  public Path blobPath(Digest digest) {
    return dir.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
  }

  private Descriptor resolvePlatform(Descriptor entry, Platform platform, String ref)
      throws IOException {
    if (MediaTypes.isManifest(entry.mediaType())) {
      return entry;
    }
    if (!MediaTypes.isIndex(entry.mediaType())) {
      throw new OciException(
          "image " + ref + " in " + dir + " has unsupported media type " + entry.mediaType());
    }
    ImageIndex nested;
    try {
      nested = ImageIndex.parse(readSmallBlob(entry, "index of " + ref));
    } catch (IllegalArgumentException e) {
      throw new OciException(where(entry) + ": " + e.getMessage(), e);
    }
    for (Descriptor candidate : nested.manifests()) {
      if (candidate.platform().isPresent()
          && candidate.platform().get().architecture().equals(platform.architecture())
          && candidate.platform().get().os().equals(platform.os())
          && (platform.variant().isEmpty()
              || platform.variant().equals(candidate.platform().get().variant()))) {
        return resolvePlatform(candidate, platform, ref);
      }
    }
    throw new OciException(
        "image " + ref + " in " + dir + " has no manifest for platform " + platform);
  }

  /** Reads a document blob and checks its size and digest. */
  private byte[] readSmallBlob(Descriptor descriptor, String what) throws IOException {
    Path path = checkedBlobPath(descriptor, what);
    byte[] bytes = Files.readAllBytes(path);
    if (!Digest.of(bytes).equals(descriptor.digest())) {
      throw new OciException(
          what + ": blob " + path + " is corrupt (its content does not hash to its name)");
    }
    return bytes;
  }

  private Path checkedBlobPath(Descriptor descriptor, String what) throws IOException {
    Path path = blobPath(descriptor.digest());
    long size;
    try {
      size = Files.size(path);
    } catch (NoSuchFileException e) {
      throw new OciException(what + ": blob " + descriptor.digest() + " is missing: " + path);
    }
    if (size != descriptor.size()) {
      throw new OciException(
          what
              + ": blob "
              + path
              + " has "
              + size
              + " bytes, the descriptor says "
              + descriptor.size()
              + " (truncated or corrupt)");
    }
    return path;
  }

  private String where(Descriptor descriptor) {
    return blobPath(descriptor.digest()).toString();
  }
}
