package dev.rig.build.packages;

import dev.rig.apt.control.PackageRecord;
import dev.rig.apt.control.PackageRecordCodec;
import dev.rig.oci.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The control record of each .deb the stage planner has read, kept by the .deb's SHA-256 (a
 * function of it). Planning the stages of a new lock needs every package's relations; without this
 * it re-verified and opened every .deb of the lock (1.6 GB for the GPU example) to add one package.
 * An entry is read back only when its format version and checksum hold ({@link
 * PackageRecordCodec}); a damaged one is read from its .deb again and rewritten.
 */
final class DebControls {
  /** The directory under the stages cache, used (and collected) as one entry like the plans. */
  static final String DIR = "controls";

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private final Path dir;

  private DebControls(Path dir) {
    this.dir = dir;
  }

  static DebControls in(Path stagesDir) {
    return new DebControls(stagesDir.resolve(DIR));
  }

  /** The control record of the .deb whose SHA-256 is {@code sha256}; empty when none is intact. */
  Optional<PackageRecord> get(String sha256) throws IOException {
    if (!SHA256.matcher(sha256).matches()) {
      return Optional.empty();
    }
    Path file = dir.resolve(sha256);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      List<PackageRecord> records = PackageRecordCodec.decode(Files.readAllBytes(file));
      return records.size() == 1 ? Optional.of(records.get(0)) : Optional.empty();
    } catch (PackageRecordCodec.CorruptRecordsException e) {
      return Optional.empty();
    }
  }

  /** Keeps the control record read from a verified .deb (temp name, then rename). */
  void put(String sha256, PackageRecord control) throws IOException {
    if (SHA256.matcher(sha256).matches()) {
      Files.createDirectories(dir);
      AtomicFiles.write(dir.resolve(sha256), PackageRecordCodec.encode(List.of(control)));
    }
  }
}
