package dev.rig.oci.layout;

import dev.rig.oci.OciException;
import dev.rig.oci.image.Descriptor;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/** Finds an index entry by the name a user typed. */
final class RefMatcher {
  private RefMatcher() {}

  static Descriptor find(List<Descriptor> entries, String ref, Path where) throws OciException {
    String wanted = ref == null ? "" : ref;
    if (wanted.isEmpty()) {
      if (entries.size() == 1) {
        return entries.get(0);
      }
      throw new OciException(
          "OCI layout "
              + where
              + " holds "
              + entries.size()
              + " images; name one of "
              + names(entries));
    }
    Descriptor found = unique(entries, e -> wanted.equals(LayoutIndex.refName(e)), wanted, where);
    if (found == null) {
      int slash = wanted.lastIndexOf('/');
      int colon = wanted.indexOf(':', slash + 1);
      if (colon >= 0) {
        String tag = wanted.substring(colon + 1);
        found = unique(entries, e -> tag.equals(LayoutIndex.refName(e)), wanted, where);
      } else {
        found =
            unique(
                entries,
                e -> {
                  String name = LayoutIndex.refName(e);
                  return name != null && name.endsWith(":" + wanted);
                },
                wanted,
                where);
      }
    }
    if (found == null) {
      throw new OciException(
          "no image named '"
              + wanted
              + "' in OCI layout "
              + where
              + " (it has "
              + names(entries)
              + ")");
    }
    return found;
  }

  /** The one entry (or several with the same digest) matching; null when none. */
  private static Descriptor unique(
      List<Descriptor> entries, Predicate<Descriptor> test, String ref, Path where)
      throws OciException {
    List<Descriptor> matches = entries.stream().filter(test).toList();
    if (matches.isEmpty()) {
      return null;
    }
    boolean sameImage = matches.stream().map(Descriptor::digest).distinct().count() == 1;
    if (!sameImage) {
      throw new OciException(
          "'"
              + ref
              + "' names several different images in OCI layout "
              + where
              + ": "
              + matches.stream().map(LayoutIndex::refName).toList());
    }
    return matches.get(0);
  }

  private static String names(List<Descriptor> entries) {
    return entries.stream().map(LayoutIndex::refName).filter(Objects::nonNull).toList().toString();
  }
}
