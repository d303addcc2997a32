package dev.rig.build.packages;

import dev.rig.apt.control.Stanza;
import dev.rig.apt.deb.DebArchive;
import dev.rig.apt.deb.DebUnpacker;
import dev.rig.apt.deb.RepackedDeb;
import dev.rig.apt.deb.UnpackedDeb;
import dev.rig.build.event.BuildEvent;
import dev.rig.build.event.BuildListener;
import dev.rig.build.lock.LockedPackage;
import dev.rig.build.rootfs.ImageRoot;
import dev.rig.oci.io.Tasks;
import dev.rig.spec.SlimSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Installs downloaded packages into a root directory with the image's own dpkg inside the sandbox,
 * running every maintainer script and trigger once.
 *
 * <p>Each .deb's data is decompressed once, ahead of its stage and on all cores ({@link
 * PreparedDebs}): dpkg gets the packages rewritten with a plain data.tar (the same bytes its
 * decompressor would have produced), so its one pass of unpacking only writes files. Before dpkg
 * runs, rig writes into an empty root only what dpkg and the scripts need in order to run (the
 * {@link BootstrapSet}'s files) and, of every other package, what dpkg would find there and keep:
 * directories, symlinks and conffiles. A root that already holds a configured system (a stage
 * below) gets only the missing directories, symlinks and conffiles, and keeps its dpkg database.
 */
final class DpkgInstall {
  private static final String DEB_DIR = "/var/cache/rig-debs";

  private final Path cacheRoot;
  private final Instant created;
  private final BuildListener listener;

  DpkgInstall(Path cacheRoot, Instant created, BuildListener listener) {
    this.cacheRoot = cacheRoot;
    this.created = created;
    this.listener = listener;
  }

  /**
   * Installs {@code debs} into {@code work}, their repacked forms from {@code prepared}; reports
   * the unpack and install phases.
   */
  void install(
      String image, Path work, Map<LockedPackage, Path> debs, SlimSpec slim, PreparedDebs prepared)
      throws IOException {
    Files.createDirectories(work);
    try {
      Map<LockedPackage, Path> repacked = prepare(image, work, debs, slim, prepared);
      listener.on(
          new BuildEvent.PhaseStarted(
              image, BuildEvent.Phase.INSTALL, debs.size(), BuildEvent.Unit.ITEMS, ""));
      configure(image, work, repacked, slim, prepared.dir());
    } finally {
      for (LockedPackage p : debs.keySet()) {
        prepared.release(p);
      }
    }
  }

  /** Whether {@code root} holds a system dpkg has installed packages into. */
  static boolean configured(Path root) throws IOException {
    Path status = root.resolve("var/lib/dpkg/status");
    return Files.isRegularFile(status, LinkOption.NOFOLLOW_LINKS) && Files.size(status) > 0;
  }

  /**
   * Waits for every package's repacked form and writes into the root what must be there before dpkg
   * runs; returns the repacked files by package.
   */
  private Map<LockedPackage, Path> prepare(
      String image, Path work, Map<LockedPackage, Path> debs, SlimSpec slim, PreparedDebs prepared)
      throws IOException {
    long start = System.nanoTime();
    listener.on(
        new BuildEvent.PhaseStarted(
            image, BuildEvent.Phase.UNPACK, debs.size(), BuildEvent.Unit.ITEMS, ""));
    boolean empty = !configured(work);
    List<LockedPackage> order = List.copyOf(debs.keySet());
    ExecutorService pool =
        Tasks.daemonPool(
            "rig-unpack", Math.min(debs.size(), Runtime.getRuntime().availableProcessors()));
    try {
      Set<String> bootstrap = Set.of();
      if (empty) {
        Map<LockedPackage, Future<DebArchive>> opened = new LinkedHashMap<>();
        for (LockedPackage p : order) {
          opened.put(p, pool.submit(() -> DebArchive.open(debs.get(p))));
        }
        List<Stanza> controls = new ArrayList<>();
        for (LockedPackage p : order) {
          controls.add(Tasks.await(opened.get(p), "reading package control files").control());
        }
        bootstrap = BootstrapSet.of(controls);
      }
      // What dpkg and the scripts need before dpkg runs, unpacked from the plain repacked form.
      DebUnpacker unpacker = new DebUnpacker(cacheRoot);
      Map<LockedPackage, Future<UnpackedDeb>> unpacked = new HashMap<>();
      for (LockedPackage p : order) {
        if (bootstrap.contains(p.name())) {
          unpacked.put(p, pool.submit(() -> unpacker.unpack(prepared.await(p).file(), p.sha256())));
        }
      }
      RootfsWriter writer = new RootfsWriter(work, SlimRules.keeps(slim));
      if (!empty) {
        writer = writer.addingOnly();
      }
      // Written in lock order, so that a path two packages share ends up the same on every build.
      Map<LockedPackage, Path> files = new LinkedHashMap<>();
      long bytes = 0;
      int written = 0;
      for (LockedPackage p : order) {
        RepackedDeb next = prepared.await(p);
        if (unpacked.containsKey(p)) {
          writer.write(Tasks.await(unpacked.get(p), "unpacking packages"));
        } else {
          writer.writeSkeleton(next);
        }
        files.put(p, next.file());
        bytes += Files.size(next.file());
        listener.on(
            new BuildEvent.PhaseProgress(
                image, BuildEvent.Phase.UNPACK, ++written, debs.size(), BuildEvent.Unit.ITEMS, ""));
      }
      if (empty) {
        Path admin = Files.createDirectories(work.resolve("var/lib/dpkg"));
        Files.createDirectories(admin.resolve("info"));
        Files.createDirectories(admin.resolve("updates"));
        Files.writeString(admin.resolve("status"), "");
        Files.writeString(admin.resolve("available"), "");
        Files.writeString(admin.resolve("arch"), "amd64\n");
      }
      listener.on(
          BuildEvent.PhaseDone.ran(
              image,
              BuildEvent.Phase.UNPACK,
              start,
              debs.size(),
              bytes,
              debs.size()
                  + " packages decompressed for dpkg ("
                  + bytes / (1024 * 1024)
                  + " MiB"
                  + (prepared.decodedByTheImage() ? ", by the image's own dpkg-deb" : "")
                  + "), "
                  + bootstrap.size()
                  + " unpacked by rig to start dpkg"));
      return files;
    } finally {
      pool.shutdownNow();
    }
  }

  private void configure(
      String image, Path work, Map<LockedPackage, Path> debs, SlimSpec slim, Path debDir)
      throws IOException {
    ImageRoot rootDir = ImageRoot.of(work);
    String excludes = SlimRules.dpkgExcludes(slim);
    rootDir.createDirectories("etc/dpkg/dpkg.cfg.d");
    if (!excludes.isEmpty()) {
      rootDir.write(
          "etc/dpkg/dpkg.cfg.d/rig-slim", excludes.getBytes(StandardCharsets.UTF_8), 0644);
    }
    // No daemon may start while scripts run (invoke-rc.d asks policy-rc.d; 101 = not allowed).
    String policy = "usr/sbin/policy-rc.d";
    rootDir.write(policy, "#!/bin/sh\nexit 101\n".getBytes(StandardCharsets.UTF_8), 0755);
    try {
      List<String> command = new ArrayList<>();
      command.addAll(
          List.of(
              "dpkg",
              "--install",
              "--force-depends",
              "--force-confdef",
              "--force-confold",
              // No fsync for each file: the root is a temp directory until rig commits it, and an
              // interrupted install is thrown away whole. It changes no byte of the result.
              "--force-unsafe-io",
              "--no-triggers"));
      List<LockedPackage> ordered = new ArrayList<>(debs.keySet());
      ordered.sort(Comparator.comparing(LockedPackage::name));
      for (LockedPackage p : ordered) {
        command.add(DEB_DIR + "/" + debs.get(p).getFileName());
      }
      Sandbox sandbox = Sandbox.of(work, created.getEpochSecond());
      // dpkg says "Setting up NAME (VERSION) ..." as it configures each package: the progress.
      // It unpacks every package before it configures the first, which splits its time in two.
      AtomicLong configured = new AtomicLong();
      AtomicLong firstSetUp = new AtomicLong();
      long started = System.nanoTime();
      Sandbox.Result install =
          sandbox.run(
              command,
              Map.of(DEB_DIR, debDir),
              1800,
              line -> {
                if (line.startsWith("Setting up ")) {
                  firstSetUp.compareAndSet(0, System.nanoTime());
                  String name = line.substring("Setting up ".length()).split(" ", 2)[0];
                  listener.on(
                      new BuildEvent.PhaseProgress(
                          image,
                          BuildEvent.Phase.INSTALL,
                          configured.incrementAndGet(),
                          debs.size(),
                          BuildEvent.Unit.ITEMS,
                          name));
                }
              });
      long installed = System.nanoTime();
      Sandbox.Result finish =
          install.exitCode() == 0
              ? sandbox.run(List.of("dpkg", "--configure", "--pending"), Map.of(), 1800)
              : install;
      long finished = System.nanoTime();
      if (install.exitCode() != 0 || finish.exitCode() != 0) {
        throw new PackageException(
            "image '"
                + image
                + "': dpkg could not install the packages (exit "
                + finish.exitCode()
                + "); its last lines:\n"
                + tail(finish.output(), 25));
      }
      long setUp = firstSetUp.get() == 0 ? installed : firstSetUp.get();
      listener.on(
          new BuildEvent.Notice(
              image,
              String.format(
                  Locale.ROOT,
                  "dpkg unpacked %d packages in %.1f s, configured them in %.1f s, ran the"
                      + " triggers in %.1f s",
                  debs.size(),
                  (setUp - started) / 1e9,
                  (installed - setUp) / 1e9,
                  (finished - installed) / 1e9),
              false));
      Sandbox.Result audit = sandbox.run(List.of("dpkg", "--audit"), Map.of(), 300);
      if (!audit.output().isBlank()) {
        throw new PackageException(
            "image '"
                + image
                + "': packages are left half-configured:\n"
                + tail(audit.output(), 25));
      }
    } finally {
      // Resolved again: the scripts may have replaced a directory on the way with a link.
      rootDir.delete(policy);
      rootDir.delete(DEB_DIR);
    }
  }

  private static String tail(String text, int lines) {
    List<String> all = text.lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }
}
