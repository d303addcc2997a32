package dev.rig.spec;

import java.util.List;
import java.util.Optional;

/**
 * The schema's {@code cuda} options.
 *
 * @param enable whether images that install packages get CUDA
 * @param version the CUDA release, {@code MAJOR.MINOR}
 * @param repository NVIDIA's CUDA apt repository, when CUDA comes from there
 * @param packages the CUDA packages to install (the per-version default unless the spec set them)
 * @param driverCapabilities NVIDIA_DRIVER_CAPABILITIES, each a name the toolkit knows
 * @param allowDriverPackages whether packages carrying NVIDIA driver libraries are allowed
 */
public record CudaSpec(
    boolean enable,
    String version,
    Optional<AptRepositorySpec> repository,
    List<String> packages,
    List<String> driverCapabilities,
    boolean allowDriverPackages) {
  public CudaSpec {
    packages = List.copyOf(packages);
    driverCapabilities = List.copyOf(driverCapabilities);
  }

  /** The Debian packages of CUDA 12.4 (trixie non-free and contrib), the schema's default. */
  public static final List<String> DEBIAN_12_4 =
      List.of(
          "libcudart12",
          "libcublas12",
          "libcublaslt12",
          "libcufft11",
          "libcurand10",
          "libcusparse12",
          "libnvrtc12",
          "libnvjitlink12",
          "libnccl2");

  /** The schema's defaults. */
  public static final CudaSpec DEFAULT =
      new CudaSpec(
          true, "12.4", Optional.empty(), DEBIAN_12_4, List.of("compute", "utility"), false);
}
