package dev.rig.init.startup;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The minimum Linux driver for each CUDA toolkit release (NVIDIA's CUDA release notes, table "CUDA
 * Toolkit and Corresponding Driver Versions"), and the floor for each major version under
 * minor-version compatibility. Checked at start because CDI mode no longer enforces
 * NVIDIA_REQUIRE_CUDA.
 */
public final class CudaDriverTable {
  private static final TreeMap<String, String> MINIMUM = new TreeMap<>(DriverVersion::compare);
  private static final Map<Integer, String> MAJOR_FLOOR =
      Map.of(11, "450.80.02", 12, "525.60.13", 13, "580.65.06");

  static {
    MINIMUM.put("11.0", "450.36.06");
    MINIMUM.put("11.1", "455.23");
    MINIMUM.put("11.2", "460.27.03");
    MINIMUM.put("11.3", "465.19.01");
    MINIMUM.put("11.4", "470.42.01");
    MINIMUM.put("11.5", "495.29.05");
    MINIMUM.put("11.6", "510.39.01");
    MINIMUM.put("11.7", "515.43.04");
    MINIMUM.put("11.8", "520.61.05");
    MINIMUM.put("12.0", "525.60.13");
    MINIMUM.put("12.1", "530.30.02");
    MINIMUM.put("12.2", "535.54.03");
    MINIMUM.put("12.3", "545.23.06");
    MINIMUM.put("12.4", "550.54.14");
    MINIMUM.put("12.5", "555.42.02");
    MINIMUM.put("12.6", "560.28.03");
    MINIMUM.put("12.8", "570.26");
    MINIMUM.put("12.9", "575.51.03");
    MINIMUM.put("13.0", "580.65.06");
  }

  private CudaDriverTable() {}

  /** "12.4.1" → "12.4"; null for text that is not a version. */
  public static String majorMinor(String cuda) {
    var m = java.util.regex.Pattern.compile("(\\d+)\\.(\\d+)").matcher(cuda);
    return m.find() ? m.group(1) + "." + m.group(2) : null;
  }

  /**
   * The minimum driver of a CUDA release listed in the table, exactly (no nearest release): what
   * rig-build writes into NVIDIA_REQUIRE_CUDA, so the image and rig-init's check agree.
   */
  public static Optional<String> listedMinimumDriver(String cudaMajorMinor) {
    return Optional.ofNullable(MINIMUM.get(cudaMajorMinor));
  }

  /** The driver a CUDA release needs for full support; the nearest listed release at or below. */
  public static Optional<String> minimumDriver(String cudaMajorMinor) {
    var e = MINIMUM.floorEntry(cudaMajorMinor);
    if (e == null || !major(e.getKey()).equals(major(cudaMajorMinor))) {
      return Optional.empty();
    }
    return Optional.of(e.getValue());
  }

  /** The lowest driver that runs this major version through minor-version compatibility. */
  public static Optional<String> majorFloor(String cudaMajorMinor) {
    return Optional.ofNullable(MAJOR_FLOOR.get(Integer.parseInt(major(cudaMajorMinor))));
  }

  private static String major(String v) {
    return v.substring(0, v.indexOf('.'));
  }
}
