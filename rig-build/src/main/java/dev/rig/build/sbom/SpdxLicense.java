package dev.rig.build.sbom;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A package's licence as an SPDX expression, or none known.
 *
 * @param expression the expression; empty for NOASSERTION (no machine-readable copyright file)
 * @param references the text behind each {@code LicenseRef-} the expression uses, as the copyright
 *     file gives it: SPDX requires it for every licence not on its list
 */
public record SpdxLicense(Optional<String> expression, Map<String, String> references) {
  public static final SpdxLicense NOASSERTION = new SpdxLicense(Optional.empty(), Map.of());

  public SpdxLicense {
    references = Map.copyOf(new TreeMap<>(references));
  }

  /** The expression, or {@code NOASSERTION}. */
  public String spdx() {
    return expression.orElse("NOASSERTION");
  }
}
