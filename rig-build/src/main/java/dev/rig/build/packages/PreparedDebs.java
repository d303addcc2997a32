package dev.rig.build.packages;

import dev.rig.apt.deb.DebArchive;
import dev.rig.apt.deb.DebRepacker;
import dev.rig.apt.deb.RepackedDeb;
import dev.rig.build.lock.LockedPackage;
import dev.rig.oci.io.Tasks;
import dev.rig.oci.io.TempNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The packages of every stage an install runs, decompressed for dpkg ahead of their stage. One pool
 * works through them stage by stage, each stage's largest first (so that no core is left with a
 * large package at the end of one): a stage's packages are decoded while the stages below run dpkg,
 * which keeps one core busy at most. The repacked files live in one temp directory, which dpkg's
 * sandbox mounts; each is deleted once its stage is installed, and the rest on close.
 */
final class PreparedDebs implements AutoCloseable {
  private final DecoderRoot decoder;
  private final Path dir;
  private final ExecutorService pool;
  private final ExecutorService background;
  private final Map<LockedPackage, Future<RepackedDeb>> repacked = new HashMap<>();
  private final Map<LockedPackage, Integer> stageOf = new HashMap<>();
  private final Map<Integer, List<Runnable>> promote = new ConcurrentHashMap<>();
  private final AtomicInteger promoted = new AtomicInteger();

  private PreparedDebs(
      DecoderRoot decoder, Path dir, ExecutorService pool, ExecutorService background) {
    this.decoder = decoder;
    this.dir = dir;
    this.pool = pool;
    this.background = background;
  }

  /**
   * Starts decoding the packages of {@code stages} (lowest first) with {@code decoder}, which this
   * object owns from now on.
   */
  static PreparedDebs start(
      Path cacheRoot, DecoderRoot decoder, List<Map<LockedPackage, Path>> stages)
      throws IOException {
    Path dir;
    try {
      dir = Files.createTempDirectory(cacheRoot, TempNames.prefix() + "debs-");
    } catch (IOException e) {
      decoder.close();
      throw e;
    }
    PreparedDebs prepared =
        new PreparedDebs(
            decoder,
            dir,
            Tasks.daemonPool("rig-decode", Runtime.getRuntime().availableProcessors()),
            Tasks.daemonPool("rig-decode-ahead", 1));
    DebRepacker first = new DebRepacker(decoder.decoder());
    DebRepacker ahead = new DebRepacker(decoder.backgroundDecoder());
    List<Future<RepackedDeb>> firstStage = new ArrayList<>();
    for (int s = 0; s < stages.size(); s++) {
      Map<LockedPackage, Path> stage = stages.get(s);
      List<LockedPackage> bySize = new ArrayList<>(stage.keySet());
      bySize.sort(Comparator.comparingLong(LockedPackage::size).reversed());
      for (LockedPackage p : bySize) {
        Path target = dir.resolve(p.name() + "_" + p.sha256().substring(0, 12) + ".deb");
        Future<RepackedDeb> future;
        if (s == 0) {
          future = prepared.pool.submit(() -> first.repack(DebArchive.open(stage.get(p)), target));
          firstStage.add(future);
        } else {
          // The stages above wait for the first one's packages, then decode on one thread (one
          // dpkg-deb thread at a time) while its dpkg runs: dpkg keeps its core. A package not
          // started when its stage's turn comes is decoded on every core then (see await).
          Ahead job = new Ahead(() -> ahead.repack(DebArchive.open(stage.get(p)), target));
          Callable<RepackedDeb> promoted =
              () -> {
                prepared.promoted.incrementAndGet();
                return first.repack(DebArchive.open(stage.get(p)), target);
              };
          prepared
              .promote
              .computeIfAbsent(s, k -> new ArrayList<>())
              .add(() -> job.runOn(prepared.pool, promoted));
          prepared.stageOf.put(p, s);
          prepared.background.submit(
              () -> {
                for (Future<RepackedDeb> f : firstStage) {
                  Tasks.await(f, "decompressing packages");
                }
                job.run();
                return null;
              });
          future = job.result;
        }
        prepared.repacked.put(p, future);
      }
    }
    return prepared;
  }

  /**
   * Waits for {@code p}'s repacked form. The first wait for a package of a stage above the first
   * moves that stage's packages not yet started to every core: it is that stage's turn.
   */
  RepackedDeb await(LockedPackage p) throws IOException {
    Future<RepackedDeb> future = repacked.get(p);
    if (future == null) {
      throw new IllegalArgumentException(p.name() + " is not in this install's stages");
    }
    Integer stage = stageOf.get(p);
    if (stage != null) {
      List<Runnable> moves = promote.remove(stage);
      if (moves != null) {
        moves.forEach(Runnable::run);
      }
    }
    return Tasks.await(future, "decompressing packages");
  }

  /**
   * A package decoded ahead: by the background thread, or, once its stage is waited for and if the
   * background thread has not started it, on the main pool. Whichever starts first does it.
   */
  private static final class Ahead {
    final CompletableFuture<RepackedDeb> result = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final Callable<RepackedDeb> work;

    Ahead(Callable<RepackedDeb> work) {
      this.work = work;
    }

    void run() {
      run(work);
    }

    void runOn(ExecutorService pool, Callable<RepackedDeb> faster) {
      if (!started.get()) {
        pool.submit(() -> run(faster));
      }
    }

    private void run(Callable<RepackedDeb> how) {
      if (!started.compareAndSet(false, true)) {
        return;
      }
      try {
        result.complete(how.call());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }
  }

  /** How many packages of stages above the first were decoded on every core, not ahead. */
  int promoted() {
    return promoted.get();
  }

  /** The directory the repacked files are in (mounted for dpkg). */
  Path dir() {
    return dir;
  }

  /** Whether the image's own dpkg-deb decodes the packages. */
  boolean decodedByTheImage() {
    return decoder.native_();
  }

  /** Deletes {@code p}'s repacked file: its stage is installed. */
  void release(LockedPackage p) throws IOException {
    Future<RepackedDeb> future = repacked.get(p);
    if (future != null && future.isDone() && !future.isCancelled()) {
      try {
        Files.deleteIfExists(future.get().file());
      } catch (java.util.concurrent.ExecutionException e) {
        // It failed; there is no file.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Stops the decoders still running and waits for their threads, then deletes what they wrote:
   * after a failed stage, nothing of the install is left running or on disk.
   */
  @Override
  public void close() throws IOException {
    try {
      decoder.stop();
      pool.shutdownNow();
      background.shutdownNow();
      try {
        if (!pool.awaitTermination(60, TimeUnit.SECONDS)
            || !background.awaitTermination(60, TimeUnit.SECONDS)) {
          throw new IOException("decoding packages did not stop within 60 s of the install's end");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      PackageInstaller.deleteTree(dir);
    } finally {
      decoder.close();
    }
  }
}
