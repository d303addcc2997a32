package dev.rig.build.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.build.TestSpecs;
import dev.rig.build.event.BuildEvent;
import dev.rig.build.event.BuildListener;
import dev.rig.build.lock.ImageLock;
import dev.rig.build.lock.LockStore;
import dev.rig.build.lock.LockedPackage;
import dev.rig.oci.digest.Digest;
import dev.rig.spec.CudaSpec;
import dev.rig.spec.EnvironmentSpec;
import dev.rig.spec.ImageSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rig-init's Java is linked by the locked JDK's jlink inside the sandbox (never the host's), holds
 * only the modules rig-init uses with a CDS archive of rig-init's classes, and is byte-identical
 * when linked twice. The tools root and .debs stay in target/ between runs, so only the first run
 * downloads and installs the JDK.
 */
class LinkedJavaTest {
  private static final Path CACHE = Path.of("target", "linked-java-cache");

  @Test
  void twoLinksOfTheLockedJdkAreByteIdenticalAndHoldOnlyRigInitsModules(@TempDir Path dir)
      throws IOException {
    ImageSpec spec =
        TestSpecs.image(
            Map.of(),
            TestSpecs.packages(List.of("bash"), List.of(), EnvironmentSpec.NONE),
            new CudaSpec(false, "12.4", Optional.empty(), List.of(), List.of("compute"), false),
            Optional.empty());
    List<RepoSource> sources = RepoSources.ofSystem().sources("img", spec.packages());
    LockStore locks = LockStore.open(dir.resolve("rig.lock"), LockStore.Mode.USE, Set.of());
    Instant created = Instant.EPOCH;
    Set<Path> used = new java.util.HashSet<>();
    LinkedJava java =
        new LinkedJava(
            CACHE,
            created,
            new PackageInstaller(CACHE, created, BuildListener.NONE),
            locks,
            dev.rig.apt.repo.IndexCache.in(CACHE.resolve("indexes")),
            event -> {
              if (event instanceof BuildEvent.CacheUsed u) {
                used.add(u.entry());
              }
            });

    ImageLock tools = java.lock(spec, sources);
    List<String> names = tools.packages().stream().map(LockedPackage::name).toList();
    assertTrue(names.contains("openjdk-21-jdk-headless"), names.toString());
    assertTrue(names.contains("binutils"), "strip comes from the locked tools: " + names);
    assertTrue(locks.save(), "the tool set is written to rig.lock");

    Path first = java.link(spec, sources);
    Map<String, String> once = tree(first);
    // The tools ran in a root of hard links to the cache's unpacked trees, mounted read-only:
    // linking again (a fresh root of links to the same trees) finds them as they were.
    Map<String, String> unpacked = states(CACHE.resolve("unpacked"));
    PackageInstaller.deleteTree(first.getParent());
    used.clear();
    Path second = java.link(spec, sources);
    assertEquals(first, second);
    // Linked or reused, the runtime and the tool set's .debs and unpacked trees go into the
    // image's usage record.
    assertTrue(used.contains(second.getParent()), used.toString());
    for (LockedPackage p : tools.packages()) {
      Path deb = CACHE.toAbsolutePath().resolve("debs/" + p.sha256() + ".deb");
      Path tree = CACHE.toAbsolutePath().resolve("unpacked/" + p.sha256());
      assertTrue(used.contains(deb) && used.contains(tree), p.name() + " is not in it: " + used);
      assertTrue(Files.isRegularFile(deb) && Files.isDirectory(tree), p.name());
    }
    assertEquals(once, tree(second), "two links of the same JDK differ");
    assertEquals(unpacked, states(CACHE.resolve("unpacked")), "a link changed the unpacked trees");

    assertTrue(
        once.containsKey("bin/java") && once.containsKey("lib/rig-init.jsa"),
        once.keySet().toString());
    assertFalse(once.containsKey("lib/server/classes.jsa"), "no default CDS archive");
    assertFalse(once.containsKey("jar") || once.containsKey("lists"), "no work files are left");
    String release = Files.readString(second.resolve("release"));
    assertTrue(release.contains("MODULES=\"java.base jdk.crypto.ec jdk.unsupported\""), release);
    List<String> sections = ElfSections.names(second.resolve("lib/server/libjvm.so"));
    assertTrue(sections.contains(".dynsym"), sections.toString());
    assertFalse(sections.contains(".symtab"), "libjvm.so keeps its symbol table: " + sections);
  }

  /**
   * The link runs beside the image's install, so its phases carry a scope of their own (a progress
   * display keys running phases by scope and phase); its cache use stays the image's, which is what
   * gc and `rig cache` count by.
   */
  @Test
  void theLinksPhasesGetAScopeOfTheirOwnAndItsCacheUseStaysTheImages() {
    List<BuildEvent> seen = new java.util.ArrayList<>();
    BuildListener scoped = LinkedJava.scoped(seen::add);
    scoped.on(
        new BuildEvent.PhaseStarted("gpu", BuildEvent.Phase.UNPACK, 81, BuildEvent.Unit.ITEMS, ""));
    scoped.on(
        new BuildEvent.PhaseProgress(
            "gpu", BuildEvent.Phase.UNPACK, 3, 81, BuildEvent.Unit.ITEMS, "libc6"));
    scoped.on(
        new BuildEvent.PhaseDone(
            "gpu",
            BuildEvent.Phase.INSTALL,
            java.time.Duration.ofSeconds(2),
            81,
            0,
            false,
            "done"));
    scoped.on(new BuildEvent.CacheUsed("gpu", Path.of("/cache/java/k")));
    assertEquals(
        List.of(
            new BuildEvent.PhaseStarted(
                "gpu (rig-init's Java)", BuildEvent.Phase.UNPACK, 81, BuildEvent.Unit.ITEMS, ""),
            new BuildEvent.PhaseProgress(
                "gpu (rig-init's Java)",
                BuildEvent.Phase.UNPACK,
                3,
                81,
                BuildEvent.Unit.ITEMS,
                "libc6"),
            new BuildEvent.PhaseDone(
                "gpu (rig-init's Java)",
                BuildEvent.Phase.INSTALL,
                java.time.Duration.ofSeconds(2),
                81,
                0,
                false,
                "done"),
            new BuildEvent.CacheUsed("gpu", Path.of("/cache/java/k"))),
        seen);
  }

  /** Every path of {@code dir} with its kind and content digest (or link target). */
  private static Map<String, String> tree(Path dir) throws IOException {
    Map<String, String> tree = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.toList()) {
        String name = dir.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          tree.put(name, "-> " + Files.readSymbolicLink(p));
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          tree.put(
              name, (Files.isExecutable(p) ? "x " : "") + Digest.of(Files.readAllBytes(p)).hex());
        } else {
          tree.put(name, "dir");
        }
      }
    }
    return tree;
  }

  /** Each regular file's size, time and mode: what writing through a link would change. */
  private static Map<String, String> states(Path dir) throws IOException {
    Map<String, String> states = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).toList()) {
        states.put(
            dir.relativize(p).toString(),
            Files.readAttributes(p, "unix:size,lastModifiedTime,mode", LinkOption.NOFOLLOW_LINKS)
                .toString());
      }
    }
    return states;
  }
}
