package dev.rig.build.sbom;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The identifiers on the SPDX licence list and its exception list (shipped as resources), looked up
 * without regard to case as SPDX matches them, and answered in their canonical case.
 */
final class SpdxLicenseList {
  private static final Map<String, String> LICENSES = load("spdx-license-ids.txt");
  private static final Map<String, String> DEPRECATED = load("spdx-deprecated-license-ids.txt");
  private static final Map<String, String> EXCEPTIONS = load("spdx-exception-ids.txt");

  private SpdxLicenseList() {}

  /** The listed, current licence id {@code id} names, in its canonical case. */
  static Optional<String> license(String id) {
    return Optional.ofNullable(LICENSES.get(id.toLowerCase(Locale.ROOT)));
  }

  /** Whether {@code id} is a licence id an SPDX expression may use (deprecated ones included). */
  static boolean valid(String id) {
    String key = id.toLowerCase(Locale.ROOT);
    return LICENSES.containsKey(key) || DEPRECATED.containsKey(key);
  }

  static Optional<String> exception(String id) {
    return Optional.ofNullable(EXCEPTIONS.get(id.toLowerCase(Locale.ROOT)));
  }

  private static Map<String, String> load(String name) {
    try (InputStream in = SpdxLicenseList.class.getResourceAsStream("/rig/sbom/" + name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from rig's resources; rebuild rig");
      }
      Map<String, String> ids = new HashMap<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String id = line.strip();
        if (!id.isEmpty() && !id.startsWith("#")) {
          ids.put(id.toLowerCase(Locale.ROOT), id);
        }
      }
      return Map.copyOf(ids);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
