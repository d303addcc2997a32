package dev.rig.python.install;

import dev.rig.oci.io.AtomicFiles;
import dev.rig.oci.io.Tasks;
import dev.rig.oci.net.RetryingGet;
import dev.rig.python.index.IndexClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fetches locked wheels into the cache's {@code wheels/} directory, named by their SHA-256: in
 * parallel, each checked against its locked size and hash while it is written to a temp name, and
 * renamed into place only when it matches (a mismatch is refused and the bytes discarded). A wheel
 * already cached is not fetched again. HTTP 5xx and dropped connections are retried by {@link
 * RetryingGet}.
 */
public final class WheelFetcher {
  private final Path wheelsDir;
  private final RetryingGet get;
  private final IndexCredentials credentials;
  private final int parallel;

  public WheelFetcher(Path wheelsDir, RetryingGet get, IndexCredentials credentials, int parallel) {
    this.wheelsDir = wheelsDir;
    this.get = get;
    this.credentials = credentials;
    this.parallel = Math.max(1, parallel);
  }

  /**
   * What a fetch did.
   *
   * @param files each wheel's cached file, in the order asked
   * @param fetched how many were downloaded (the rest were in the cache)
   * @param bytes the bytes downloaded
   */
  public record Fetched(Map<WheelDownload, Path> files, int fetched, long bytes) {}

  public Fetched fetchAll(List<WheelDownload> wheels) throws IOException {
    Files.createDirectories(wheelsDir);
    AtomicLong bytes = new AtomicLong();
    AtomicLong count = new AtomicLong();
    ExecutorService pool =
        Tasks.daemonPool("rig-wheels", Math.min(parallel, Math.max(1, wheels.size())));
    try {
      List<Future<Path>> futures = new ArrayList<>();
      for (WheelDownload wheel : wheels) {
        futures.add(
            pool.submit(
                () -> {
                  Path file = cached(wheel);
                  if (Files.isRegularFile(file)) {
                    return file;
                  }
                  fetch(wheel, file);
                  count.incrementAndGet();
                  bytes.addAndGet(Files.size(file));
                  return file;
                }));
      }
      Map<WheelDownload, Path> files = new LinkedHashMap<>();
      for (int i = 0; i < wheels.size(); i++) {
        files.put(wheels.get(i), Tasks.await(futures.get(i), "fetching wheels"));
      }
      return new Fetched(files, (int) count.get(), bytes.get());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Where a wheel lives in the cache: its hash names it, so an equal file is never kept twice, and
   * a wheel the resolve downloaded whole (kept there by {@link IndexClient}) is not fetched again.
   */
  public Path cached(WheelDownload wheel) {
    return IndexClient.cachedWheel(wheelsDir, wheel.sha256());
  }

  private void fetch(WheelDownload wheel, Path target) throws IOException {
    Optional<RetryingGet.Body> body = get.open(wheel.url(), 0, credentials.headersFor(wheel.url()));
    if (body.isEmpty()) {
      throw new WheelException(
          wheel.fileName()
              + ": "
              + wheel.url()
              + " answered 404 (not found); the index no longer serves the locked file, run"
              + " `rig lock` to resolve again");
    }
    Path temp = AtomicFiles.newTemp(target);
    try {
      MessageDigest sha = WheelInstaller.sha256();
      long size = 0;
      try (InputStream in = body.get().stream();
          OutputStream out = Files.newOutputStream(temp)) {
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
          out.write(buffer, 0, n);
          sha.update(buffer, 0, n);
          size += n;
        }
      }
      String actual = HexFormat.of().formatHex(sha.digest());
      if (!actual.equals(wheel.sha256()) || (wheel.size() >= 0 && size != wheel.size())) {
        throw new WheelException(
            wheel.fileName()
                + " from "
                + wheel.url()
                + " has SHA-256 "
                + actual
                + " and "
                + size
                + " bytes, and rig.lock says "
                + wheel.sha256()
                + " and "
                + wheel.size()
                + " bytes; the file was refused and discarded. If the index replaced it on"
                + " purpose, run `rig lock` to record the new file; else the index or the network"
                + " is serving tampered bytes");
      }
      AtomicFiles.commit(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
