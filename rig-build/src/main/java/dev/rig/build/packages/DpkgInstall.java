package dev.rig.build.packages;

import dev.rig.apt.deb.DebUnpacker;
import dev.rig.apt.deb.UnpackedDeb;
import dev.rig.build.event.BuildEvent;
import dev.rig.build.event.BuildListener;
import dev.rig.build.lock.LockedPackage;
import dev.rig.build.rootfs.ImageRoot;
import dev.rig.oci.io.Tasks;
import dev.rig.oci.io.TempNames;
import dev.rig.spec.SlimSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Installs downloaded packages into a root directory with the image's own dpkg inside the sandbox:
 * rig unpacks them first (so the root holds a working dpkg and shell), then dpkg installs them,
 * running every maintainer script and trigger once.
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

  /** Installs {@code debs} into {@code work}; reports the unpack and install phases. */
  void install(String image, Path work, Map<LockedPackage, Path> debs, SlimSpec slim)
      throws IOException {
    // A root from a lower stage holds a working dpkg and its database already: dpkg alone adds to
    // it.
    if (!Files.exists(work.resolve("var/lib/dpkg/status"))) {
      bootstrap(image, work, debs, slim);
    }
    listener.on(
        new BuildEvent.PhaseStarted(
            image, BuildEvent.Phase.INSTALL, debs.size(), BuildEvent.Unit.ITEMS, ""));
    configure(image, work, debs, slim);
  }

  /** Unpacks every package with rig, so the sandbox has dpkg, a shell and their libraries. */
  private void bootstrap(String image, Path work, Map<LockedPackage, Path> debs, SlimSpec slim)
      throws IOException {
    long start = System.nanoTime();
    listener.on(
        new BuildEvent.PhaseStarted(
            image, BuildEvent.Phase.UNPACK, debs.size(), BuildEvent.Unit.ITEMS, ""));
    Files.createDirectories(work);
    DebUnpacker unpacker = new DebUnpacker(cacheRoot);
    RootfsWriter writer = new RootfsWriter(work, SlimRules.keeps(slim));
    // Unpacking (xz or zstd, then the files into the cache) runs on every core; the root is still
    // written in lock order, so a path two packages share ends up the same on every build.
    ExecutorService pool =
        Tasks.daemonPool(
            "rig-unpack", Math.min(debs.size(), Runtime.getRuntime().availableProcessors()));
    try {
      List<Future<UnpackedDeb>> unpacked = new ArrayList<>();
      for (Map.Entry<LockedPackage, Path> deb : debs.entrySet()) {
        unpacked.add(pool.submit(() -> unpacker.unpack(deb.getValue(), deb.getKey().sha256())));
      }
      int written = 0;
      for (Future<UnpackedDeb> next : unpacked) {
        writer.write(Tasks.await(next, "unpacking packages"));
        listener.on(
            new BuildEvent.PhaseProgress(
                image, BuildEvent.Phase.UNPACK, ++written, debs.size(), BuildEvent.Unit.ITEMS, ""));
      }
      listener.on(
          new BuildEvent.PhaseDone(
              image,
              BuildEvent.Phase.UNPACK,
              Duration.ofNanos(System.nanoTime() - start),
              debs.size(),
              0,
              false,
              debs.size() + " packages unpacked by rig"));
    } finally {
      pool.shutdownNow();
    }
    Path admin = Files.createDirectories(work.resolve("var/lib/dpkg"));
    Files.createDirectories(admin.resolve("info"));
    Files.createDirectories(admin.resolve("updates"));
    Files.writeString(admin.resolve("status"), "");
    Files.writeString(admin.resolve("available"), "");
    Files.writeString(admin.resolve("arch"), "amd64\n");
  }

  private void configure(String image, Path work, Map<LockedPackage, Path> debs, SlimSpec slim)
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
    Path debDir = Files.createTempDirectory(cacheRoot, TempNames.prefix() + "debs-");
    try {
      List<String> command = new ArrayList<>();
      command.addAll(
          List.of(
              "dpkg",
              "--install",
              "--force-depends",
              "--force-confdef",
              "--force-confold",
              "--no-triggers"));
      List<Map.Entry<LockedPackage, Path>> ordered = new ArrayList<>(debs.entrySet());
      ordered.sort(Comparator.comparing(e -> e.getKey().name()));
      for (Map.Entry<LockedPackage, Path> deb : ordered) {
        String name = deb.getKey().name() + "_" + deb.getKey().sha256().substring(0, 12) + ".deb";
        Files.createLink(debDir.resolve(name), deb.getValue());
        command.add(DEB_DIR + "/" + name);
      }
      Sandbox sandbox = Sandbox.of(work, created.getEpochSecond());
      // dpkg says "Setting up NAME (VERSION) ..." as it configures each package: the progress.
      AtomicLong configured = new AtomicLong();
      Sandbox.Result install =
          sandbox.run(
              command,
              Map.of(DEB_DIR, debDir),
              1800,
              line -> {
                if (line.startsWith("Setting up ")) {
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
      Sandbox.Result finish =
          install.exitCode() == 0
              ? sandbox.run(List.of("dpkg", "--configure", "--pending"), Map.of(), 1800)
              : install;
      if (install.exitCode() != 0 || finish.exitCode() != 0) {
        throw new PackageException(
            "image '"
                + image
                + "': dpkg could not install the packages (exit "
                + finish.exitCode()
                + "); its last lines:\n"
                + tail(finish.output(), 25));
      }
      Sandbox.Result audit = sandbox.run(List.of("dpkg", "--audit"), Map.of(), 300);
      if (!audit.output().isBlank()) {
        throw new PackageException(
            "image '"
                + image
                + "': packages are left half-configured:\n"
                + tail(audit.output(), 25));
      }
    } finally {
      PackageInstaller.deleteTree(debDir);
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
