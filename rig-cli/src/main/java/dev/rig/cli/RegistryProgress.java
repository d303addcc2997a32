package dev.rig.cli;

import dev.rig.registry.RegistryEvent;
import dev.rig.registry.RegistryListener;
import java.io.PrintWriter;

/** Renders registry events as one line each on stderr; byte-level progress is left out. */
final class RegistryProgress implements RegistryListener {
  private final PrintWriter err;
  private final boolean quiet;

  RegistryProgress(PrintWriter err, boolean quiet) {
    this.err = err;
    this.quiet = quiet;
  }

  @Override
  public synchronized void onEvent(RegistryEvent event) {
    String line = line(event);
    if (line == null || (quiet && !(event instanceof RegistryEvent.Retrying))) {
      return;
    }
    err.println(line);
    err.flush();
  }

  private static String line(RegistryEvent event) {
    if (event instanceof RegistryEvent.CredentialsFound found) {
      return found.registry() + ": using credentials from " + found.source();
    } else if (event instanceof RegistryEvent.BlobSkipped skipped) {
      return skipped.repository() + ": " + short12(skipped.digest()) + " already there";
    } else if (event instanceof RegistryEvent.BlobMounted mounted) {
      return mounted.repository()
          + ": "
          + short12(mounted.digest())
          + " mounted from "
          + mounted.from();
    } else if (event instanceof RegistryEvent.BlobUploaded uploaded) {
      return uploaded.repository()
          + ": "
          + short12(uploaded.digest())
          + " uploaded ("
          + Progress.bytes(uploaded.size())
          + ", "
          + Progress.seconds(uploaded.took())
          + ")";
    } else if (event instanceof RegistryEvent.BlobDownloaded downloaded) {
      return short12(downloaded.digest())
          + " downloaded ("
          + Progress.bytes(downloaded.size())
          + ", "
          + Progress.seconds(downloaded.took())
          + ")";
    } else if (event instanceof RegistryEvent.Retrying retrying) {
      return "retrying "
          + retrying.what()
          + " (attempt "
          + retrying.attempt()
          + ", "
          + retrying.reason()
          + ")";
    }
    return null;
  }

  private static String short12(dev.rig.oci.digest.Digest digest) {
    return digest.algorithm() + ":" + digest.hex().substring(0, 12);
  }
}
