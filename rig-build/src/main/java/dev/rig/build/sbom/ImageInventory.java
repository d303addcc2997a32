package dev.rig.build.sbom;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a build put into one image, read from the layers it planned and from rig.lock: everything an
 * SBOM lists. Lists are sorted, so that the same build always gives the same document.
 *
 * @param distro the distribution of its packages; empty when it has none
 * @param base the base image as the spec names it (pinned by digest for a registry base)
 * @param wheels Python distributions in the image's Python environments; empty until images have
 *     them
 */
public record ImageInventory(
    Optional<Distro> distro,
    List<DebianPackage> packages,
    Optional<String> base,
    List<BaseLayer> baseLayers,
    List<ImageFile> files,
    List<RuntimeComponent> runtime,
    List<PythonWheel> wheels) {
  public ImageInventory {
    packages =
        packages.stream()
            .sorted(
                Comparator.comparing(DebianPackage::name)
                    .thenComparing(DebianPackage::architecture))
            .toList();
    baseLayers = baseLayers.stream().sorted(Comparator.comparingInt(BaseLayer::index)).toList();
    files = files.stream().sorted(Comparator.comparing(ImageFile::path)).toList();
    runtime = runtime.stream().sorted(Comparator.comparing(RuntimeComponent::name)).toList();
    wheels =
        wheels.stream()
            .sorted(
                Comparator.comparing(PythonWheel::environment)
                    .thenComparing(PythonWheel::name)
                    .thenComparing(PythonWheel::version))
            .toList();
  }

  /** An image with nothing but its own config (built from scratch, no packages, no files). */
  public static ImageInventory empty() {
    return new ImageInventory(
        Optional.empty(), List.of(), Optional.empty(), List.of(), List.of(), List.of(), List.of());
  }

  /** This inventory with the wheels of the image's Python environments (issue 16's hook). */
  public ImageInventory withWheels(List<PythonWheel> more) {
    return new ImageInventory(distro, packages, base, baseLayers, files, runtime, more);
  }
}
