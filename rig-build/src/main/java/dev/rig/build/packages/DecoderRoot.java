package dev.rig.build.packages;

import dev.rig.apt.control.Dependency;
import dev.rig.apt.control.PackageRecord;
import dev.rig.apt.control.PackageRef;
import dev.rig.apt.deb.DataDecoder;
import dev.rig.apt.deb.DebArchive;
import dev.rig.apt.deb.DebUnpacker;
import dev.rig.apt.deb.UnpackedDeb;
import dev.rig.build.lock.LockedPackage;
import dev.rig.oci.io.Tasks;
import dev.rig.oci.io.TempNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Where an install's packages are decoded from: the image's own dpkg-deb ({@link
 * ImageDpkgDecoder}). A stage on a stage below (or on a base image) finds one in the root below. An
 * install into an empty root gets a small root of its own first: the lock's dpkg with the packages
 * it loads, and base-files for the /lib64 link the loader is found through, unpacked by rig with
 * xz-java (a dozen small packages, which the first stage unpacks anyway to start dpkg). Without a
 * dpkg in the lock, or one that does not run there, everything is decoded in this process.
 */
final class DecoderRoot implements AutoCloseable {
  /** What dpkg-deb needs to run: itself and the merged-/usr links (from base-files). */
  private static final List<String> SEEDS = List.of("dpkg", "base-files");

  private final DataDecoder decoder;
  private final Optional<ImageDpkgDecoder> image;
  private final Optional<Path> temp;

  private DecoderRoot(Optional<ImageDpkgDecoder> image, Optional<Path> temp) {
    this.decoder = image.<DataDecoder>map(d -> d).orElse(DataDecoder.IN_PROCESS);
    this.image = image;
    this.temp = temp;
  }

  /**
   * The decoder for installing {@code packages} (in lock order, with their .debs and controls) on
   * top of {@code lower}, or into an empty root when it is empty.
   */
  static DecoderRoot of(
      Path cacheRoot,
      Optional<Path> lower,
      Map<LockedPackage, Path> packages,
      Map<String, PackageRecord> controls,
      long sourceDateEpoch)
      throws IOException {
    if (lower.isPresent()) {
      Optional<ImageDpkgDecoder> below = ImageDpkgDecoder.of(lower.get(), sourceDateEpoch);
      if (below.isPresent()) {
        return new DecoderRoot(below, Optional.empty());
      }
    }
    Set<String> needed = closure(controls);
    if (!needed.contains("dpkg")) {
      return new DecoderRoot(Optional.empty(), Optional.empty());
    }
    Path dir = Files.createTempDirectory(cacheRoot, TempNames.prefix() + "decoder-");
    try {
      write(cacheRoot, dir, packages, needed);
      Optional<ImageDpkgDecoder> own = ImageDpkgDecoder.of(dir, sourceDateEpoch);
      if (own.isEmpty()) {
        PackageInstaller.deleteTree(dir);
        return new DecoderRoot(Optional.empty(), Optional.empty());
      }
      return new DecoderRoot(own, Optional.of(dir));
    } catch (IOException | RuntimeException e) {
      PackageInstaller.deleteTree(dir);
      throw e;
    }
  }

  /** {@link #of} for packages into an empty root, their controls read from their .debs. */
  static DecoderRoot forDebs(Path cacheRoot, Map<LockedPackage, Path> debs, long sourceDateEpoch)
      throws IOException {
    Map<String, PackageRecord> controls = new HashMap<>();
    for (Map.Entry<LockedPackage, Path> deb : debs.entrySet()) {
      controls.put(
          deb.getKey().name(), PackageRecord.from(DebArchive.open(deb.getValue()).control()));
    }
    return of(cacheRoot, Optional.empty(), debs, controls, sourceDateEpoch);
  }

  /** The decoder: the image's dpkg-deb, or the one in this process. */
  DataDecoder decoder() {
    return decoder;
  }

  /**
   * The decoder for packages decoded ahead of their stage, beside another stage's dpkg: the image's
   * dpkg-deb on one thread, or the one in this process.
   */
  DataDecoder backgroundDecoder() {
    return image.<DataDecoder>map(ImageDpkgDecoder::oneThread).orElse(decoder);
  }

  /** The decoder for work off the critical path: the image's dpkg-deb at the lowest priority. */
  DataDecoder nicedDecoder() {
    return image.<DataDecoder>map(ImageDpkgDecoder::niced).orElse(decoder);
  }

  /** Whether packages are decoded by the image's dpkg-deb. */
  boolean native_() {
    return image.isPresent();
  }

  /** Stops every decoder still running (before the files they write to are deleted). */
  void stop() {
    image.ifPresent(ImageDpkgDecoder::close);
  }

  @Override
  public void close() throws IOException {
    stop();
    if (temp.isPresent()) {
      PackageInstaller.deleteTree(temp.get());
    }
  }

  /**
   * The seeds and everything they depend on or pre-depend on among {@code controls}; where a
   * dependency has alternatives, every one present (as in {@link BootstrapSet}).
   */
  static Set<String> closure(Map<String, PackageRecord> controls) {
    Map<String, List<String>> providers = new HashMap<>();
    for (PackageRecord p : controls.values()) {
      providers.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p.name());
      for (PackageRef provided : p.provides()) {
        providers.computeIfAbsent(provided.name(), k -> new ArrayList<>()).add(p.name());
      }
    }
    Deque<String> todo = new ArrayDeque<>();
    SEEDS.forEach(seed -> todo.addAll(providers.getOrDefault(seed, List.of())));
    Set<String> closed = new TreeSet<>();
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (!closed.add(name)) {
        continue;
      }
      PackageRecord p = controls.get(name);
      List<Dependency> relations = new ArrayList<>(p.preDepends());
      relations.addAll(p.depends());
      for (Dependency dependency : relations) {
        for (PackageRef ref : dependency.alternatives()) {
          todo.addAll(providers.getOrDefault(ref.name(), List.of()));
        }
      }
    }
    return closed;
  }

  /** Unpacks the {@code needed} packages (cached in unpacked/) and writes them in lock order. */
  private static void write(
      Path cacheRoot, Path dir, Map<LockedPackage, Path> packages, Set<String> needed)
      throws IOException {
    Map<LockedPackage, Path> chosen = new LinkedHashMap<>();
    packages.forEach(
        (p, deb) -> {
          if (needed.contains(p.name())) {
            chosen.put(p, deb);
          }
        });
    DebUnpacker unpacker = new DebUnpacker(cacheRoot);
    ExecutorService pool =
        Tasks.daemonPool("rig-decoder", Runtime.getRuntime().availableProcessors());
    try {
      Map<LockedPackage, Future<UnpackedDeb>> unpacked = new HashMap<>();
      chosen.forEach(
          (p, deb) -> unpacked.put(p, pool.submit(() -> unpacker.unpack(deb, p.sha256()))));
      // Links, not copies: the root is only ever mounted read-only (dpkg-deb writes to a pipe),
      // and a copy would make, then delete, an inode per file.
      RootfsWriter writer = new RootfsWriter(dir).linking();
      for (LockedPackage p : chosen.keySet()) {
        writer.write(Tasks.await(unpacked.get(p), "unpacking the image's dpkg"));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
