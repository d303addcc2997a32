package dev.rig.apt.deb;

import dev.rig.apt.control.PackageRecord;
import dev.rig.apt.repo.RepositoryFetcher;
import dev.rig.oci.io.LockWait;
import dev.rig.oci.io.Tasks;
import dev.rig.oci.net.NetFailure;
import dev.rig.oci.net.NetSettings;
import dev.rig.oci.net.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Fetches .debs into {@code CACHE/debs/SHA256.deb}, a few at a time. The size and SHA-256 from the
 * signed index are checked while the bytes stream to a temp file, which is renamed into place only
 * when both match; a cached file is re-hashed before use and replaced when it does not match (a
 * truncated or tampered copy). A download cut short is kept as {@code SHA256.deb.part} and goes on
 * from where it stopped, within a build (a dropped connection is retried with a range request) and
 * across builds (an interrupted one).
 */
public final class DebDownloader {
  /** One package and the repository that serves it. */
  public record Request(PackageRecord pkg, RepositoryFetcher repository) {}

  /** The cache's directory of verified .debs, named by their SHA-256. */
  private static final String DIR = "debs";

  private final Path debDir;
  private final int parallelism;
  private final DownloadListener listener;
  private final RetryPolicy retry;
  private final LockWait lockWait;

  /** This process's lock per part, by path: see {@link #download}. */
  private static final Map<Path, ReentrantLock> PARTS = new ConcurrentHashMap<>();

  /** A downloader with the retry policy and lock limit from the environment. */
  public DebDownloader(Path cacheRoot, int parallelism, DownloadListener listener) {
    this(
        cacheRoot,
        parallelism,
        listener,
        NetSettings.fromEnvironment().retry(),
        LockWait.fromEnvironment());
  }

  /**
   * @param retry attempts for a file cut mid-way (each asks for the rest), shared with HTTP
   * @param lockWait how long to wait on another rig's download of the same file without progress
   */
  public DebDownloader(
      Path cacheRoot,
      int parallelism,
      DownloadListener listener,
      RetryPolicy retry,
      LockWait lockWait) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1");
    }
    this.debDir = cacheRoot.toAbsolutePath().normalize().resolve(DIR);
    this.parallelism = parallelism;
    this.listener = listener;
    this.retry = retry;
    this.lockWait = lockWait;
  }

  /** Where a package with this SHA-256 is kept. */
  public Path cachePath(String sha256) {
    return debDir.resolve(sha256 + ".deb");
  }

  /** Where a package with this SHA-256 is kept in the cache at {@code cacheRoot}. */
  public static Path cachePath(Path cacheRoot, String sha256) {
    return cacheRoot.toAbsolutePath().normalize().resolve(DIR).resolve(sha256 + ".deb");
  }

  /**
   * Downloads all requests, at most {@code parallelism} at once, and returns the verified files in
   * request order. The first failure is thrown after the others finish, with theirs suppressed.
   */
  public Map<PackageRecord, Path> downloadAll(List<Request> requests) throws IOException {
    ExecutorService pool =
        Tasks.daemonPool("rig-deb-download", Math.min(parallelism, requests.size()));
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
    // Two threads of this rig (the image's install and the linking of rig-init's Java run side by
    // side) may want the same .deb: file locks do not exclude threads of one process, so the
    // second waits here for the first, then finds the finished file below.
    ReentrantLock inProcess =
        PARTS.computeIfAbsent(debDir.resolve(sha).toAbsolutePath(), k -> new ReentrantLock());
    try {
      inProcess.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the download of " + p);
    }
    try {
      if (Files.isRegularFile(target) && check(target, p.size(), sha).isEmpty()) {
        // The other thread fetched it while this one waited.
        listener.on(new DownloadEvent.Cached(p, target));
        return target;
      }
      return fetch(request, target);
    } finally {
      inProcess.unlock();
    }
  }

  /** Fetches (or resumes) one package into {@code target}, holding this process's lock on it. */
  private Path fetch(Request request, Path target) throws IOException {
    PackageRecord p = request.pkg();
    String sha = p.sha256();
    String url = request.repository().describe() + "/" + p.filename();
    listener.on(new DownloadEvent.Started(p, url, p.size()));
    long start = System.nanoTime();
    // A stable part name, so that a download cut short (network, Ctrl-C, a killed build) goes on
    // where it stopped; the lock keeps two builds sharing the cache from writing the same part.
    Path part = debDir.resolve(sha + ".deb.part");
    boolean done = false;
    try (FileChannel channel =
            FileChannel.open(
                part,
                StandardOpenOption.CREATE,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock = lockPart(channel, p, part)) {
      if (Files.isRegularFile(target) && check(target, p.size(), sha).isEmpty()) {
        // Another rig (or thread) held the part, finished it and renamed it while this one waited.
        done = true;
        listener.on(new DownloadEvent.Cached(p, target));
        return target;
      }
      MessageDigest digest = sha256();
      long have = resumable(channel, p.size(), digest);
      IOException lastFailure = null;
      for (int attempt = 1; attempt <= retry.maxAttempts() && have < p.size(); attempt++) {
        if (lastFailure != null) {
          sleep(retry.backoff(attempt - 1));
        }
        Optional<RepositoryFetcher.Ranged> body = request.repository().openFrom(p.filename(), have);
        if (body.isEmpty()) {
          throw fail(p, url + " does not exist (the index and the pool disagree; update indexes)");
        }
        if (body.get().start() != have) {
          channel.truncate(0);
          digest.reset();
          have = 0;
        } else if (have > 0) {
          listener.on(new DownloadEvent.Resumed(p, have));
        }
        try (InputStream in = body.get().stream()) {
          have = append(in, channel, have, p.size(), digest);
          lastFailure = null;
        } catch (IOException e) {
          if (!NetFailure.isTransient(e)) {
            throw e;
          }
          // A connection cut mid-file: what arrived is kept and the next attempt asks for the rest.
          lastFailure = e;
          have = channel.size();
        }
      }
      if (lastFailure != null) {
        throw fail(
            p,
            url
                + ": failed after "
                + retry.maxAttempts()
                + " attempts, "
                + have
                + " of "
                + p.size()
                + " bytes kept for the next run; the last: "
                + NetFailure.describe(lastFailure, url));
      }
      String actual = HexFormat.of().formatHex(digest.digest());
      if (have != p.size()) {
        channel.truncate(0);
        throw fail(p, url + ": got " + have + " bytes, the signed index says " + p.size());
      }
      if (!actual.equals(sha)) {
        channel.truncate(0);
        throw fail(p, url + ": SHA256 " + actual + " does not match " + sha + " from the index");
      }
      channel.force(false);
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
      done = true;
      listener.on(
          new DownloadEvent.Finished(p, target, have, Duration.ofNanos(System.nanoTime() - start)));
      return target;
    } catch (IOException e) {
      if (!(e instanceof DownloadException)) {
        listener.on(new DownloadEvent.Failed(p, url + ": " + e.getMessage()));
      }
      throw e;
    } finally {
      // An empty part (a failed check, nothing fetched) is not worth keeping; a partial one is.
      if (!done && Files.isRegularFile(part) && Files.size(part) == 0) {
        Files.deleteIfExists(part);
      }
    }
  }

  /**
   * Locks the part, waiting while another process (another rig on the same cache) holds it and
   * makes progress; a holder that seems stuck is named in the error.
   */
  private FileLock lockPart(FileChannel channel, PackageRecord p, Path part) throws IOException {
    try {
      return lockWait.acquire(channel, part, "the download of " + p.name() + " " + p.version());
    } catch (OverlappingFileLockException e) {
      throw fail(p, part + " is being downloaded twice by this build (a duplicate request)");
    }
  }

  /**
   * How many bytes of an earlier attempt the part holds, fed into {@code digest}; a part longer
   * than the package is from something else and is emptied.
   */
  private static long resumable(FileChannel channel, long size, MessageDigest digest)
      throws IOException {
    long have = channel.size();
    if (have >= size) {
      // Not shorter than the package: a finished part that failed its check, or another file.
      channel.truncate(0);
      return 0;
    }
    ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    long position = 0;
    while (position < have) {
      buffer.clear();
      int n = channel.read(buffer, position);
      if (n < 0) {
        break;
      }
      digest.update(buffer.array(), 0, n);
      position += n;
    }
    return position;
  }

  /**
   * Appends {@code in} to the channel at {@code have}, at most up to one byte past {@code size}.
   */
  private static long append(
      InputStream in, FileChannel channel, long have, long size, MessageDigest digest)
      throws IOException {
    byte[] buffer = new byte[1 << 16];
    long position = have;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      digest.update(buffer, 0, n);
      ByteBuffer wrap = ByteBuffer.wrap(buffer, 0, n);
      while (wrap.hasRemaining()) {
        position += channel.write(wrap, position);
      }
      if (position > size) {
        break;
      }
    }
    return position;
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

  private static void sleep(Duration delay) throws IOException {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to resume a download");
    }
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
