package dev.rig.build.python;

import dev.rig.build.lock.LockedWheel;
import dev.rig.python.install.WheelDownload;
import dev.rig.python.install.WheelFetcher;
import dev.rig.python.marker.MarkerSyntaxException;
import dev.rig.python.requirement.Requirement;
import dev.rig.python.resolve.PythonTarget;
import dev.rig.python.version.InvalidVersionException;
import dev.rig.python.wheel.WheelFilename;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Records a user's hashed requirements lock in rig.lock without resolving: for each pinned
 * requirement whose marker holds for the image, the wheel on the indexes whose hash the lock allows
 * and whose tags fit the image best. The wheel is fetched (and verified) once to learn its size,
 * which the lock records.
 */
final class UserLock {
  private final IndexPages pages;
  private final WheelFetcher fetcher;
  private final PythonTarget target;

  UserLock(IndexPages pages, WheelFetcher fetcher, PythonTarget target) {
    this.pages = pages;
    this.fetcher = fetcher;
    this.target = target;
  }

  List<LockedWheel> record(Path lockFile, List<String> indexes) throws IOException {
    List<LockedWheel> wheels = new ArrayList<>();
    String requiredBy = lockFile.getFileName().toString();
    for (HashedRequirements.Pinned pin : HashedRequirements.read(lockFile)) {
      if (!applies(lockFile, pin)) {
        continue;
      }
      IndexPages.IndexFile best = null;
      int bestRank = Integer.MAX_VALUE;
      List<String> seen = new ArrayList<>();
      for (String index : indexes) {
        for (IndexPages.IndexFile file : pages.files(index, pin.normalized())) {
          if (file.sha256().isEmpty() || !pin.hashes().contains(file.sha256().get())) {
            continue;
          }
          seen.add(file.fileName());
          Optional<Integer> rank =
              WheelFilename.isWheel(file.fileName())
                  ? target.supportedTags().rank(WheelFilename.parse(file.fileName()))
                  : Optional.empty();
          if (rank.isPresent() && rank.get() < bestRank) {
            best = file;
            bestRank = rank.get();
          }
        }
        if (best != null) {
          break;
        }
      }
      if (best == null) {
        throw new PythonException(
            lockFile
                + ": "
                + pin.name()
                + "=="
                + pin.version()
                + (seen.isEmpty()
                    ? " has no file with a hash the lock allows on " + String.join(", ", indexes)
                    : " has no wheel for this image (Python "
                        + target.pythonFullVersion()
                        + ", linux "
                        + target.machine()
                        + ", glibc "
                        + target.glibcVersion()
                        + ") among the locked files "
                        + seen)
                + "; rig installs binary wheels only: lock a version that has one, or add the"
                + " index that serves it");
      }
      WheelDownload download =
          new WheelDownload(best.fileName(), best.url(), -1, best.sha256().get());
      Path file = fetcher.fetchAll(List.of(download)).files().get(download);
      wheels.add(
          new LockedWheel(
              pin.normalized(),
              pin.version(),
              best.fileName(),
              best.url().toString(),
              Files.size(file),
              best.sha256().get(),
              List.of(requiredBy)));
    }
    return wheels;
  }

  /** Whether the pin's PEP 508 marker holds for the image (a pin without one always does). */
  private boolean applies(Path lockFile, HashedRequirements.Pinned pin) throws PythonException {
    if (pin.marker().isEmpty()) {
      return true;
    }
    try {
      return Requirement.parse(pin.name() + "==" + pin.version() + " ; " + pin.marker())
          .appliesTo(target.markerEnvironment());
    } catch (MarkerSyntaxException | InvalidVersionException e) {
      throw new PythonException(
          lockFile + ": " + pin.name() + "==" + pin.version() + ": " + e.getMessage());
    }
  }
}
