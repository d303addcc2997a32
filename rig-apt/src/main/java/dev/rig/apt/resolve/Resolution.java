package dev.rig.apt.resolve;

import dev.rig.apt.control.PackageRecord;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The install set, sorted by name, and for each package the chain that pulled it in.
 *
 * @param reasons package name to a readable chain such as {@code app 1.0 -> depends libfoo}
 */
public record Resolution(List<PackageRecord> packages, Map<String, String> reasons) {
  public Resolution {
    packages = List.copyOf(packages);
    reasons = Collections.unmodifiableMap(new LinkedHashMap<>(reasons));
  }

  /** {@code name=version} lines sorted by name: the form of the apt-get oracle's output. */
  public List<String> ids() {
    return packages.stream().map(PackageRecord::id).toList();
  }
}
