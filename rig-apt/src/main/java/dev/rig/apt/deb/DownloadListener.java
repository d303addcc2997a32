package dev.rig.apt.deb;

/** Receives {@link DownloadEvent}s, possibly from several download threads at once. */
@FunctionalInterface
public interface DownloadListener {
  DownloadListener NONE = event -> {};

  void on(DownloadEvent event);
}
