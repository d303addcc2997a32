package dev.rig.python.resolve;

import dev.rig.python.marker.MarkerEnvironment;
import dev.rig.python.wheel.SupportedTags;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The interpreter and platform an image runs, which PEP 508 markers and wheel tags are evaluated
 * against: never the build host's, so that a lock made on any machine fits the image.
 *
 * @param pythonFullVersion e.g. {@code 3.13.5}
 * @param implementation the wheel-tag abbreviation of the implementation, {@code cp} for CPython
 * @param machine {@code platform.machine()} in the image: {@code x86_64}, {@code aarch64}, ...
 * @param glibcVersion the image's glibc, {@code 2.41}; manylinux wheels up to it fit
 * @param sysPlatform {@code sys.platform}, {@code linux}
 */
public record PythonTarget(
    String pythonFullVersion,
    String implementation,
    String machine,
    String glibcVersion,
    String sysPlatform) {
  private static final Pattern FULL_VERSION = Pattern.compile("3\\.\\d+\\.\\d+([a-z]+\\d+)?\\+?");
  private static final Pattern GLIBC = Pattern.compile("2\\.\\d+");
  private static final Map<String, String> MACHINE_OF_DEBIAN_ARCH =
      Map.of(
          "amd64", "x86_64",
          "arm64", "aarch64",
          "i386", "i686",
          "armhf", "armv7l",
          "ppc64el", "ppc64le",
          "s390x", "s390x",
          "riscv64", "riscv64");

  public PythonTarget {
    Objects.requireNonNull(implementation, "implementation");
    Objects.requireNonNull(machine, "machine");
    Objects.requireNonNull(sysPlatform, "sysPlatform");
    if (!FULL_VERSION.matcher(pythonFullVersion).matches()) {
      throw new IllegalArgumentException(
          "the Python version must be a full CPython 3 version like 3.13.5, got '"
              + pythonFullVersion
              + "'");
    }
    if (!GLIBC.matcher(glibcVersion).matches()) {
      throw new IllegalArgumentException(
          "the glibc version must look like 2.41, got '" + glibcVersion + "'");
    }
  }

  /**
   * The target of a CPython on Linux, from what the image's packages say: the python3 package's
   * upstream version ({@code 3.13.5}), the Debian architecture ({@code amd64}) and libc6's upstream
   * version ({@code 2.41}).
   */
  public static PythonTarget of(String pythonVersion, String debianArch, String glibcVersion) {
    String machine = MACHINE_OF_DEBIAN_ARCH.get(debianArch);
    if (machine == null) {
      throw new IllegalArgumentException(
          "no Python platform is known for the Debian architecture '"
              + debianArch
              + "'; use one of "
              + String.join(", ", MACHINE_OF_DEBIAN_ARCH.keySet().stream().sorted().toList()));
    }
    return new PythonTarget(pythonVersion, "cp", machine, glibcVersion, "linux");
  }

  /** {@code 3.13} */
  public String pythonVersion() {
    String[] parts = pythonFullVersion.split("\\.");
    return parts[0] + "." + parts[1];
  }

  /** The values PEP 508 markers see on this target. */
  public MarkerEnvironment markerEnvironment() {
    return MarkerEnvironment.builder()
        .put("python_version", pythonVersion())
        .put("python_full_version", pythonFullVersion)
        .put("os_name", "posix")
        .put("sys_platform", sysPlatform)
        .put("platform_machine", machine)
        .put("platform_system", "Linux")
        .put("platform_release", "")
        .put("platform_version", "")
        .put("implementation_name", implementation.equals("cp") ? "cpython" : implementation)
        .put(
            "platform_python_implementation",
            implementation.equals("cp") ? "CPython" : implementation)
        .put("implementation_version", pythonFullVersion.replaceAll("[^0-9.].*", ""))
        .build();
  }

  /** The wheel tags this target installs, most specific first. */
  public SupportedTags supportedTags() {
    String[] parts = pythonFullVersion.split("\\.");
    String[] glibc = glibcVersion.split("\\.");
    return SupportedTags.forCPython(
        Integer.parseInt(parts[0]),
        Integer.parseInt(parts[1]),
        machine,
        Integer.parseInt(glibc[0]),
        Integer.parseInt(glibc[1]));
  }
}
