package dev.rig.apt.deb;

import dev.rig.apt.control.PackageRecord;
import dev.rig.apt.repo.RepositoryFetcher;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Fetches .debs into {@code CACHE/debs/SHA256.deb}, a few at a time. The size and SHA-256 from the
 * signed index are checked while the bytes stream to a temp file, which is renamed into place only
 * when both match; a cached file is re-hashed before use and replaced when it does not match (a
 * truncated or tampered copy). Interrupted downloads restart from the beginning: the fetcher API
 * has no ranged reads, so there is no resume.
 */
public final class DebDownloader {
  /** One package and the repository that serves it. */
  public record Request(PackageRecord pkg, RepositoryFetcher repository) {}

  private final Path debDir;
  private final int parallelism;
  private final DownloadListener listener;

  public DebDownloader(Path cacheRoot, int parallelism, DownloadListener listener) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1");
    }
    this.debDir = cacheRoot.toAbsolutePath().normalize().resolve("debs");
    this.parallelism = parallelism;
    this.listener = listener;
  }

  /** Where a package with this SHA-256 is kept. */
  public Path cachePath(String sha256) {
    return debDir.resolve(sha256 + ".deb");
  }

  /**
   * Downloads all requests, at most {@code parallelism} at once, and returns the verified files in
   * request order. The first failure is thrown after the others finish, with theirs suppressed.
   */
  public Map<PackageRecord, Path> downloadAll(List<Request> requests) throws IOException {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(parallelism, Math.max(1, requests.size())),
            r -> {
              Thread t = new Thread(r, "rig-deb-download");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<Path>> futures = new ArrayList<>();
      for (Request r : requests) {
        futures.add(pool.submit(() -> download(r)));
      }
      Map<PackageRecord, Path> out = new LinkedHashMap<>();
      IOException failure = null;
      for (int i = 0; i < futures.size(); i++) {
        try {
          out.put(requests.get(i).pkg(), futures.get(i).get());
        } catch (ExecutionException e) {
          IOException io =
              e.getCause() instanceof IOException c
                  ? c
                  : new IOException(e.getCause().getMessage(), e.getCause());
          if (failure == null) {
            failure = io;
          } else {
            failure.addSuppressed(io);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while downloading packages", e);
        }
      }
      if (failure != null) {
        throw failure;
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Downloads one package (or reuses a verified cached copy) and returns its file. */
  public Path download(Request request) throws IOException {
    PackageRecord p = request.pkg();
    String sha = p.sha256();
    if (!sha.matches("[0-9a-f]{64}")) {
      throw fail(p, "the index gives no SHA256 for " + p + "; refusing an unverifiable download");
    }
    if (p.filename().isEmpty()) {
      throw fail(p, "the index gives no Filename for " + p);
    }
    Path target = cachePath(sha);
    if (Files.isRegularFile(target)) {
      Optional<String> problem = check(target, p.size(), sha);
      if (problem.isEmpty()) {
        listener.on(new DownloadEvent.Cached(p, target));
        return target;
      }
      Files.deleteIfExists(target);
      listener.on(new DownloadEvent.Discarded(p, target, problem.get()));
    }
    Files.createDirectories(debDir);
    String url = request.repository().describe() + "/" + p.filename();
    listener.on(new DownloadEvent.Started(p, url, p.size()));
    long start = System.nanoTime();
    Path temp = Files.createTempFile(debDir, ".tmp-" + sha.substring(0, 12) + "-", ".part");
    try {
      Optional<InputStream> body = request.repository().open(p.filename());
      if (body.isEmpty()) {
        throw fail(p, url + " does not exist (the index and the pool disagree; update indexes)");
      }
      MessageDigest digest = sha256();
      long bytes;
      try (InputStream in = body.get();
          OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), digest)) {
        bytes = in.transferTo(out);
      }
      String actual = HexFormat.of().formatHex(digest.digest());
      if (bytes != p.size()) {
        throw fail(p, url + ": got " + bytes + " bytes, the signed index says " + p.size());
      }
      if (!actual.equals(sha)) {
        throw fail(p, url + ": SHA256 " + actual + " does not match " + sha + " from the index");
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      listener.on(
          new DownloadEvent.Finished(
              p, target, bytes, Duration.ofNanos(System.nanoTime() - start)));
      return target;
    } catch (IOException e) {
      if (!(e instanceof DownloadException)) {
        listener.on(new DownloadEvent.Failed(p, url + ": " + e.getMessage()));
      }
      throw e;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private DownloadException fail(PackageRecord p, String message) {
    listener.on(new DownloadEvent.Failed(p, message));
    return new DownloadException(p.name() + " " + p.version() + ": " + message);
  }

  /** Empty when the file has the expected size and hash, else what is wrong with it. */
  private static Optional<String> check(Path file, long size, String sha256) throws IOException {
    long actualSize = Files.size(file);
    if (actualSize != size) {
      return Optional.of("size " + actualSize + " instead of " + size);
    }
    String actual = DebUnpacker.sha256(file);
    return actual.equals(sha256)
        ? Optional.empty()
        : Optional.of("SHA256 " + actual + " instead of " + sha256);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A download that failed its checks or could not be fetched; the message names the package. */
  public static final class DownloadException extends IOException {
    DownloadException(String message) {
      super(message);
    }
  }
}
