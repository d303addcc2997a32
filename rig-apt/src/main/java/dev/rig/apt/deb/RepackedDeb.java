package dev.rig.apt.deb;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A .deb rewritten by {@link DebRepacker} with its data uncompressed, and what the pass over the
 * data learnt: the checked entries in archive order and the bytes of the package's conffiles.
 *
 * @param file the rewritten .deb
 * @param archive the original .deb's control part
 */
public record RepackedDeb(
    Path file, DebArchive archive, List<UnpackedEntry> entries, Map<String, byte[]> conffiles) {
  public RepackedDeb {
    entries = List.copyOf(entries);
    conffiles = Map.copyOf(conffiles);
  }

  /** The shipped bytes of the conffile at {@code path}, if the package has one there. */
  public Optional<byte[]> conffile(String path) {
    return Optional.ofNullable(conffiles.get(path)).map(byte[]::clone);
  }
}
