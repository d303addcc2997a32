package dev.rig.build.cuda;

import dev.rig.init.startup.CudaDriverTable;
import dev.rig.oci.layer.Content;
import dev.rig.oci.layer.LayerEntry;
import dev.rig.spec.ImageSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * CUDA in an image that installs packages: the packages to ask for, the variables the NVIDIA
 * container toolkit and CUDA programs read, the few files the toolkit relies on, and the refusal of
 * packages that carry NVIDIA driver libraries (the host injects its own driver).
 */
public final class CudaSetup {
  /** Where markets and older toolkits mount the driver's libraries. */
  public static final String LD_LIBRARY_PATH = "/usr/local/nvidia/lib64:/usr/local/nvidia/lib";

  /** Where CUDA's tools are in NVIDIA's images, and so in the default PATH. */
  public static final String BIN = "/usr/local/cuda/bin";

  private CudaSetup() {}

  /**
   * {@code path} (a PATH value) without its {@link #BIN} entries, for an image that has no such
   * directory: a PATH entry that does not exist misleads users and tools looking for nvcc.
   */
  public static String pathWithoutBin(String path) {
    return Arrays.stream(path.split(":", -1))
        .filter(entry -> !entry.equals(BIN) && !entry.equals(BIN + "/"))
        .collect(Collectors.joining(":"));
  }

  /** The CUDA packages the resolver is asked for; empty when CUDA does not apply. */
  public static List<String> packages(ImageSpec spec) {
    return spec.parts().cuda() ? spec.cuda().packages() : List.of();
  }

  /**
   * NVIDIA_REQUIRE_CUDA for a release: the toolkit refuses to start the container on a host whose
   * driver supports an older CUDA or is older than the release's minimum (comma means "and").
   */
  public static String requireCuda(String version) {
    // One table for both ends: rig-init checks the host's driver against the same values.
    String driver =
        CudaDriverTable.listedMinimumDriver(version)
            .orElseThrow(
                () -> new IllegalArgumentException("no minimum driver known for CUDA " + version));
    return "cuda>=" + version + ",driver>=" + driver;
  }

  /**
   * The variables CUDA adds to the image's environment, in a fixed order; a name the spec's {@code
   * env}/{@code extraEnv} sets keeps the spec's value (so it is left out here). Empty when CUDA
   * does not apply.
   */
  public static Map<String, String> env(ImageSpec spec) {
    Map<String, String> env = new LinkedHashMap<>();
    if (!spec.parts().cuda()) {
      return env;
    }
    String version = spec.cuda().version();
    env.put("CUDA_VERSION", version);
    env.put("NVIDIA_REQUIRE_CUDA", requireCuda(version));
    env.put("NVIDIA_DRIVER_CAPABILITIES", String.join(",", spec.cuda().driverCapabilities()));
    env.put("NVIDIA_VISIBLE_DEVICES", "all");
    env.put("LD_LIBRARY_PATH", LD_LIBRARY_PATH);
    env.keySet().removeAll(spec.env().keySet());
    return env;
  }

  /** Whether a package name carries NVIDIA driver libraries (or the driver itself). */
  public static boolean isDriverPackage(String name) {
    return name.equals("libcuda1")
        || name.startsWith("libcuda1-")
        || name.startsWith("libnvidia-")
        || name.startsWith("nvidia-driver")
        || name.startsWith("nvidia-kernel-")
        || name.startsWith("cuda-drivers");
  }

  /** The driver packages among {@code names}, in their order. */
  public static List<String> driverPackages(Collection<String> names) {
    return names.stream().filter(CudaSetup::isDriverPackage).distinct().toList();
  }

  /**
   * The error for a resolved set that holds driver packages, unless the spec allows them; empty
   * when the set is fine.
   */
  public static Optional<String> driverPackageProblem(ImageSpec spec, Collection<String> resolved) {
    List<String> found = driverPackages(resolved);
    if (found.isEmpty() || spec.cuda().allowDriverPackages()) {
      return Optional.empty();
    }
    return Optional.of(
        "image '"
            + spec.name()
            + "': "
            + String.join(", ", found)
            + (found.size() == 1 ? " carries" : " carry")
            + " NVIDIA driver libraries, which must not be in the image: the host's NVIDIA"
            + " container toolkit injects the driver that matches its kernel module, and a copy"
            + " in the image shadows it (\"driver/library version mismatch\", \"insufficient"
            + " driver\"). Remove it from packages/systemPackages"
            + (spec.packages().installRecommends()
                ? " or set installRecommends = false (a CUDA library recommends libcuda1)"
                : " (or whatever depends on it)")
            + ", or set cuda.allowDriverPackages = true to keep it anyway");
  }

  /**
   * The files rig adds for CUDA on top of the installed packages in {@code root}: /usr/local/cuda
   * pointing at /usr/local/cuda-VERSION, unless the packages made /usr/local/cuda; for Debian's
   * packages (no {@code cuda.repository}, whose packages make that tree themselves) the tree of
   * links {@link CudaTree} builds from what they installed; /etc/ld.so.conf with its include line
   * when libc-bin did not ship it; /sbin/ldconfig when only /usr/sbin/ldconfig exists and /sbin is
   * a real directory. The root is only read, never through a link that leaves it.
   */
  public static List<LayerEntry> files(ImageSpec spec, Path root) throws IOException {
    List<LayerEntry> entries = new ArrayList<>();
    if (!spec.parts().cuda()) {
      return entries;
    }
    InstalledRoot installed = new InstalledRoot(root);
    String versioned = "cuda-" + spec.cuda().version();
    if (installed.entry("/usr/local/cuda").isEmpty()) {
      entries.add(LayerEntry.symlink("/usr/local/cuda", versioned, 0, 0));
    }
    if (spec.cuda().repository().isEmpty()) {
      entries.addAll(
          CudaTree.entries(
              "/usr/local/" + versioned,
              multiarch(spec.platform()),
              CudaPackages.read(installed, spec.cuda().packages()),
              installed));
    }
    boolean includesConfD =
        installed
            .readRegularFile("/etc/ld.so.conf")
            .map(text -> text.lines().anyMatch(l -> l.strip().startsWith("include ")))
            .orElse(false);
    if (!includesConfD) {
      entries.add(
          LayerEntry.file(
              "/etc/ld.so.conf",
              new Content.Bytes(
                  "include /etc/ld.so.conf.d/*.conf\n".getBytes(StandardCharsets.UTF_8)),
              0644,
              0,
              0));
    }
    if (installed.entry("/sbin/ldconfig").isEmpty()
        && installed.entry("/usr/sbin/ldconfig").isPresent()
        && installed.entry("/sbin").map(BasicFileAttributes::isDirectory).orElse(false)) {
      entries.add(LayerEntry.symlink("/sbin/ldconfig", "/usr/sbin/ldconfig", 0, 0));
    }
    return entries;
  }

  /** The Debian multiarch triplet of an OCI platform. */
  static String multiarch(String platform) {
    return platform.endsWith("arm64") ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
  }
}
