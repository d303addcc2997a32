package dev.rig.oci.layout;

import dev.rig.oci.OciException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Files an archive carries beside its images, checked so that none can shadow an image's own. */
final class SideFiles {
  private SideFiles() {}

  static void add(DeterministicArchive archive, Map<String, byte[]> files, List<String> reserved)
      throws OciException {
    for (var file : new TreeMap<>(files).entrySet()) {
      String name = file.getKey();
      String top = name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
      if (name.isEmpty()
          || name.startsWith("/")
          || name.endsWith("/")
          || List.of(name.split("/")).contains("..")
          || reserved.contains(top)) {
        throw new OciException(
            "a side file of an archive must be a relative path outside "
                + reserved
                + ", not '"
                + name
                + "'");
      }
      archive.addBytes(name, file.getValue());
    }
  }
}
