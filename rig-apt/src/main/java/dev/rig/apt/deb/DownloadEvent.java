package dev.rig.apt.deb;

import dev.rig.apt.control.PackageRecord;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the downloader is doing, for a progress display or a {@code --json} summary. Events replace
 * log calls so the core stays quiet and a front end chooses how to show progress.
 */
public sealed interface DownloadEvent {
  PackageRecord pkg();

  /** A verified copy was already in the cache; nothing was fetched. */
  record Cached(PackageRecord pkg, Path file) implements DownloadEvent {}

  /** A fetch began. */
  record Started(PackageRecord pkg, String url, long expectedBytes) implements DownloadEvent {}

  /** A fetch goes on from byte {@code offset}, where an earlier attempt stopped. */
  record Resumed(PackageRecord pkg, long offset) implements DownloadEvent {}

  /** A fetch finished and the file passed size and SHA-256 checks. */
  record Finished(PackageRecord pkg, Path file, long bytes, Duration took)
      implements DownloadEvent {}

  /** A cached copy failed its check and was deleted; a fresh fetch follows. */
  record Discarded(PackageRecord pkg, Path file, String reason) implements DownloadEvent {}

  /** A fetch failed; the build fails with the same message. */
  record Failed(PackageRecord pkg, String message) implements DownloadEvent {}
}
