package dev.rig.build.python;

import dev.rig.build.lock.LockedWheel;
import dev.rig.python.install.WheelDownload;
import dev.rig.python.install.WheelFetcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Records a user's hashed requirements lock in rig.lock without resolving: for each pinned
 * requirement, the wheel on the indexes whose hash the lock allows and that fits the image best.
 * The wheel is fetched (and verified) once to learn its size, which the lock records.
 */
final class UserLock {
  private final IndexPages pages;
  private final WheelFetcher fetcher;
  private final WheelTags tags;

  UserLock(IndexPages pages, WheelFetcher fetcher, WheelTags tags) {
    this.pages = pages;
    this.fetcher = fetcher;
    this.tags = tags;
  }

  List<LockedWheel> record(Path lockFile, List<String> indexes) throws IOException {
    List<LockedWheel> wheels = new ArrayList<>();
    String requiredBy = lockFile.getFileName().toString();
    for (HashedRequirements.Pinned pin : HashedRequirements.read(lockFile)) {
      IndexPages.IndexFile best = null;
      int bestScore = -1;
      List<String> seen = new ArrayList<>();
      for (String index : indexes) {
        for (IndexPages.IndexFile file : pages.files(index, pin.normalized())) {
          if (file.sha256().isEmpty() || !pin.hashes().contains(file.sha256().get())) {
            continue;
          }
          seen.add(file.fileName());
          Optional<Integer> score = tags.score(file.fileName());
          if (score.isPresent() && score.get() > bestScore) {
            best = file;
            bestScore = score.get();
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
                        + tags.minor()
                        + ", linux "
                        + tags.architecture()
                        + ", glibc "
                        + tags.glibc()
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
}
