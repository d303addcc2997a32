package dev.rig.build.base;

import dev.rig.oci.image.BaseImage;
import dev.rig.oci.image.Platform;
import dev.rig.oci.layout.OciLayoutReader;
import dev.rig.registry.model.ImageReference;
import dev.rig.registry.remote.RemoteImages;
import dev.rig.spec.BaseImageRef;
import dev.rig.spec.ImageSpec;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Loads the base image an image spec names in {@code from}: from a local OCI layout, or from a
 * registry (manifest and config now, layers only when something reads them).
 */
public final class BaseImages {
  private final Optional<RemoteImages> registry;
  private final BasePins pins;

  private BaseImages(Optional<RemoteImages> registry, BasePins pins) {
    this.registry = registry;
    this.pins = pins;
  }

  /** Local OCI layouts only; a registry reference is an error that says what is missing. */
  public static BaseImages localOnly() {
    return new BaseImages(Optional.empty(), BasePins.NONE);
  }

  /** Local layouts and registry references, fetched through {@code registry}. */
  public static BaseImages withRegistry(RemoteImages registry) {
    return new BaseImages(Optional.of(registry), BasePins.NONE);
  }

  /** Local layouts and registry references, tags pinned through {@code pins} (rig.lock). */
  public static BaseImages withRegistry(RemoteImages registry, BasePins pins) {
    return new BaseImages(Optional.of(registry), pins);
  }

  public ResolvedBase load(ImageSpec spec) throws IOException {
    if (spec.from().isEmpty()) {
      return ResolvedBase.NONE;
    }
    BaseImageRef ref = spec.from().get();
    if (ref instanceof BaseImageRef.OciLayoutRef layoutRef) {
      return ResolvedBase.local(layout(spec, layoutRef));
    }
    if (ref instanceof BaseImageRef.RegistryRef registryRef) {
      if (registry.isEmpty()) {
        throw new IllegalStateException(
            "image '"
                + spec.name()
                + "': from = \""
                + registryRef.reference()
                + "\" names a registry, and this build was set up without registry access");
      }
      ImageReference written = ImageReference.parse(registryRef.reference());
      RemoteImages remotes = registry.get();
      Platform platform = platform(spec.platform());
      ImageReference pinned =
          written.digest().isPresent()
              ? written
              : pins.pin(spec.name(), written, () -> remotes.resolve(written, platform).pinned());
      return ResolvedBase.remote(remotes.resolve(pinned, platform));
    }
    throw new IllegalArgumentException("unsupported base image reference: " + ref);
  }

  /** {@code os/arch[/variant]} as the spec writes it. */
  public static Platform platform(String text) {
    String[] parts = text.split("/");
    return new Platform(parts[1], parts[0], parts.length > 2 ? parts[2] : "");
  }

  private static BaseImage layout(ImageSpec spec, BaseImageRef.OciLayoutRef layoutRef)
      throws IOException {
    OciLayoutReader layout = OciLayoutReader.open(layoutRef.dir());
    String tag = layoutRef.tag();
    if (tag.isEmpty()) {
      List<String> refs = layout.refNames();
      if (refs.size() != 1) {
        throw new IllegalArgumentException(
            "image '"
                + spec.name()
                + "': from = \"oci:"
                + layoutRef.dir()
                + "\" names no image, and the layout holds "
                + refs.size()
                + " ("
                + String.join(", ", refs)
                + "); add one as oci:DIR:REF");
      }
      tag = refs.get(0);
    }
    return layout.image(tag).toBaseImage();
  }
}
