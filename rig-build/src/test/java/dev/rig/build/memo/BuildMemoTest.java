package dev.rig.build.memo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.build.Rig;
import dev.rig.build.RigSettings;
import dev.rig.build.event.BuildEvent;
import dev.rig.build.output.OutputTarget;
import dev.rig.build.push.ImagePushes;
import dev.rig.build.result.BuiltImage;
import dev.rig.build.result.UpToDateImage;
import dev.rig.oci.digest.Digest;
import dev.rig.spec.Project;
import dev.rig.testkit.LocalRegistry;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build memo through the facade, as {@code rig build} uses it: a rebuild with nothing changed
 * is served with no layer work, and each kind of change (the spec, a copied file's content or mode,
 * rig.lock, a damaged output) makes a real build whose digest is the one a clean build of the new
 * inputs gives.
 */
class BuildMemoTest {
  @TempDir Path dir;

  /** One run of what {@code rig build --out oci:OUT} does, and what it reported. */
  private record Run(String digest, boolean served, List<BuildEvent> events) {
    boolean didLayerWork() {
      return events.stream()
          .anyMatch(
              e ->
                  e instanceof BuildEvent.ImageStarted
                      || e instanceof BuildEvent.LayerReady
                      || e instanceof BuildEvent.ImageDone);
    }
  }

  private Run run(Path spec, Path cache, Path out) throws Exception {
    List<BuildEvent> events = Collections.synchronizedList(new ArrayList<>());
    try (Rig rig = Rig.open(RigSettings.defaults(cache).withListener(events::add))) {
      Project project = rig.load(Optional.of(spec));
      OutputTarget target = new OutputTarget.OciLayout(out);
      Optional<List<UpToDateImage>> fresh = rig.upToDate(project, List.of(), target);
      if (fresh.isPresent()) {
        return new Run(fresh.get().get(0).digest(), true, List.copyOf(events));
      }
      List<BuiltImage> images = rig.build(project, List.of());
      rig.export(images, target);
      return new Run(images.get(0).digest(), false, List.copyOf(events));
    }
  }

  /** The digest a build from an empty cache into an empty output gives. */
  private String clean(Path spec) throws Exception {
    Path scratch = Files.createTempDirectory(dir, "clean");
    Run run = run(spec, scratch.resolve("cache"), scratch.resolve("out"));
    assertFalse(run.served());
    return run.digest();
  }

  private Path project(String extra) throws Exception {
    Path spec = dir.resolve("rig.yaml");
    Files.writeString(
        spec,
        "images:\n  memo:\n"
            + extra
            + "    copyToRoot:\n"
            + "      - { source: a.txt, target: /a.txt }\n"
            + "      - { source: tree, target: /srv/tree }\n");
    return spec;
  }

  @Test
  void aWarmRebuildIsServedWithNoLayerWorkAndOneTypedEvent() throws Exception {
    Files.writeString(dir.resolve("a.txt"), "a\n");
    Files.createDirectories(dir.resolve("tree/sub"));
    Files.writeString(dir.resolve("tree/sub/b.txt"), "b\n");
    Path spec = project("");
    Path cache = dir.resolve("cache");
    Path out = dir.resolve("out");
    Run cold = run(spec, cache, out);
    assertFalse(cold.served());
    assertTrue(cold.didLayerWork());

    Run warm = run(spec, cache, out);
    assertTrue(warm.served(), warm.events().toString());
    assertEquals(cold.digest(), warm.digest());
    assertFalse(warm.didLayerWork(), warm.events().toString());
    List<BuildEvent.ImageUpToDate> fresh =
        warm.events().stream()
            .filter(BuildEvent.ImageUpToDate.class::isInstance)
            .map(BuildEvent.ImageUpToDate.class::cast)
            .toList();
    assertEquals(1, fresh.size(), warm.events().toString());
    assertEquals("memo:latest", fresh.get(0).reference());
    assertEquals(cold.digest(), fresh.get(0).digest());
    assertEquals(
        cold.events().stream().filter(BuildEvent.LayerReady.class::isInstance).count(),
        fresh.get(0).layers());
    // Nothing but the spec's phase (served by the spec cache) and the summary.
    assertEquals(2, warm.events().size(), warm.events().toString());
  }

  @Test
  void aSpecEditIsBuiltAndGivesTheCleanDigest() throws Exception {
    Files.writeString(dir.resolve("a.txt"), "a\n");
    Files.createDirectories(dir.resolve("tree"));
    Path spec = project("");
    Path cache = dir.resolve("cache");
    Path out = dir.resolve("out");
    Run first = run(spec, cache, out);
    assertTrue(run(spec, cache, out).served());

    project("    env: { MODE: edited }\n");
    Run edited = run(spec, cache, out);
    assertFalse(edited.served());
    assertNotEquals(first.digest(), edited.digest());
    assertEquals(clean(spec), edited.digest());
    assertTrue(run(spec, cache, out).served());

    // Back to the first spec: the memo knows that build too, and the output is rewritten to it.
    project("");
    Run back = run(spec, cache, out);
    assertFalse(back.served(), "the output held the edited image");
    assertEquals(first.digest(), back.digest());
  }

  @Test
  void aCopiedFileEditedWithItsSizeAndMtimeRestoredIsSeen() throws Exception {
    Path a = dir.resolve("a.txt");
    Files.writeString(a, "aaaa\n");
    Files.createDirectories(dir.resolve("tree/sub"));
    Path b = dir.resolve("tree/sub/b.txt");
    Files.writeString(b, "b\n");
    Path spec = project("");
    Path cache = dir.resolve("cache");
    Path out = dir.resolve("out");
    // Older than the racy window, so that the stat cache remembers them.
    Thread.sleep(2100);
    Run first = run(spec, cache, out);
    assertTrue(run(spec, cache, out).served());

    FileTime mtime = Files.getLastModifiedTime(a);
    Files.writeString(a, "bbbb\n");
    Files.setLastModifiedTime(a, mtime);
    Run edited = run(spec, cache, out);
    assertFalse(edited.served(), "same size and mtime, other content");
    assertNotEquals(first.digest(), edited.digest());
    assertEquals(clean(spec), edited.digest());

    // A file deep in a copied directory, and a mode.
    Files.writeString(b, "c\n");
    Run deep = run(spec, cache, out);
    assertFalse(deep.served());
    assertEquals(clean(spec), deep.digest());
    Files.setPosixFilePermissions(a, PosixFilePermissions.fromString("rwxr-xr-x"));
    Run mode = run(spec, cache, out);
    assertFalse(mode.served());
    assertNotEquals(deep.digest(), mode.digest());
    assertEquals(clean(spec), mode.digest());
    assertTrue(run(spec, cache, out).served());
  }

  @Test
  void aDeletedOrTruncatedBlobOrAMissingSbomIsWrittenAgain() throws Exception {
    Files.writeString(dir.resolve("a.txt"), "a\n");
    Files.createDirectories(dir.resolve("tree"));
    Path spec = project("");
    Path cache = dir.resolve("cache");
    Path out = dir.resolve("out");
    Run first = run(spec, cache, out);
    String manifest = Digest.parse(first.digest()).hex();
    List<Path> blobs;
    try (var files = Files.list(out.resolve("blobs/sha256"))) {
      blobs = files.filter(p -> !p.getFileName().toString().equals(manifest)).sorted().toList();
    }
    Path layer = blobs.get(0);
    long size = Files.size(layer);

    Files.delete(layer);
    Run deleted = run(spec, cache, out);
    assertFalse(deleted.served());
    assertEquals(first.digest(), deleted.digest());
    assertEquals(size, Files.size(layer));

    try (FileChannel channel = FileChannel.open(layer, StandardOpenOption.WRITE)) {
      channel.truncate(size - 1);
    }
    Run truncated = run(spec, cache, out);
    assertFalse(truncated.served());
    assertEquals(size, Files.size(layer));

    Files.delete(out.resolve("sbom/memo.spdx.json"));
    assertFalse(run(spec, cache, out).served());
    assertTrue(Files.isRegularFile(out.resolve("sbom/memo.spdx.json")));
    assertTrue(run(spec, cache, out).served());

    // Another output directory holds nothing yet.
    assertFalse(run(spec, cache, dir.resolve("other")).served());
  }

  @Test
  void aHomeDirectoryEditIsBuiltAndGivesTheCleanDigest() throws Exception {
    Files.writeString(dir.resolve("a.txt"), "a\n");
    Files.createDirectories(dir.resolve("tree"));
    Path rc = Files.createDirectories(dir.resolve("homedir/.config")).resolve("rc");
    Files.writeString(rc, "one\n");
    Path spec = project("    home: homedir\n");
    Path cache = dir.resolve("cache");
    Path out = dir.resolve("out");
    Run first = run(spec, cache, out);
    assertTrue(run(spec, cache, out).served());
    Files.writeString(rc, "two\n");
    Run edited = run(spec, cache, out);
    assertFalse(edited.served());
    assertNotEquals(first.digest(), edited.digest());
    assertEquals(clean(spec), edited.digest());
  }

  /** A base read from an OCI layout: a new image written into that layout is a new input. */
  @Test
  void aBaseLayoutRewrittenIsBuiltAndGivesTheCleanDigest() throws Exception {
    Path base = Files.createDirectories(dir.resolve("base"));
    Path baseSpec =
        Files.writeString(
            base.resolve("rig.yaml"),
            "images:\n  base:\n    copyToRoot:\n      - { source: base.txt, target: /base.txt }\n");
    Path cache = dir.resolve("cache");
    Files.writeString(base.resolve("base.txt"), "one\n");
    run(baseSpec, cache, dir.resolve("layout"));
    Files.writeString(dir.resolve("a.txt"), "a\n");
    Files.createDirectories(dir.resolve("tree"));
    Path spec = project("    from: \"oci:layout:base:latest\"\n");
    Path out = dir.resolve("out");
    Run first = run(spec, cache, out);
    assertTrue(run(spec, cache, out).served());

    Files.writeString(base.resolve("base.txt"), "two\n");
    run(baseSpec, cache, dir.resolve("layout"));
    Run rebased = run(spec, cache, out);
    assertFalse(rebased.served());
    assertNotEquals(first.digest(), rebased.digest());
    assertEquals(clean(spec), rebased.digest());
  }

  /** Another build of rig (another jar) never trusts this one's memo, and the reverse. */
  @Test
  void anotherBuildOfRigHasOtherKeys() throws Exception {
    Files.writeString(dir.resolve("a.txt"), "a\n");
    Files.createDirectories(dir.resolve("tree"));
    Path spec = project("");
    Path cache = dir.resolve("cache");
    try (Rig rig = Rig.open(RigSettings.defaults(cache))) {
      var image = rig.load(Optional.of(spec)).images().get("memo");
      Path lock = dir.resolve("rig.lock");
      var running = BuildMemo.in(cache).key(image, lock, "s");
      assertTrue(running.isPresent());
      assertEquals(running, BuildMemo.in(cache).key(image, lock, "s"));
      assertNotEquals(
          running, BuildMemo.in(cache, Optional.of("code other")).key(image, lock, "s"));
      assertNotEquals(running, BuildMemo.in(cache).key(image, lock, "other settings"));
      assertEquals(Optional.empty(), BuildMemo.in(cache, Optional.empty()).key(image, lock, "s"));
    }
  }

  @Test
  void aLockEditIsBuiltAndGivesTheCleanDigest() throws Exception {
    Path cache = dir.resolve("cache");
    try (LocalRegistry registry = LocalRegistry.start(dir.resolve("registry"))) {
      // Two bases, pushed under two tags; the image names the first.
      String[] bases = new String[2];
      for (int i = 0; i < 2; i++) {
        Path base = Files.createDirectories(dir.resolve("base" + i));
        Files.writeString(base.resolve("base.txt"), "base " + i + "\n");
        Files.writeString(
            base.resolve("rig.yaml"),
            "images:\n  base:\n    copyToRoot:\n      - { source: base.txt, target: /base.txt }\n");
        try (Rig rig = Rig.open(RigSettings.defaults(cache))) {
          List<BuiltImage> built =
              rig.build(rig.load(Optional.of(base.resolve("rig.yaml"))), List.of());
          bases[i] =
              rig.push(
                      built,
                      Optional.of(registry.host() + "/memo/base:" + i),
                      ImagePushes.Format.oci)
                  .get(0)
                  .digest();
        }
      }
      Files.writeString(dir.resolve("a.txt"), "a\n");
      Files.createDirectories(dir.resolve("tree"));
      Path spec = project("    from: " + registry.host() + "/memo/base:0\n");
      Path out = dir.resolve("out");
      Run first = run(spec, cache, out);
      Path lock = dir.resolve("rig.lock");
      String locked = Files.readString(lock);
      assertTrue(locked.contains(bases[0]), locked);
      assertTrue(run(spec, cache, out).served());

      // Pin the tag to the other base, by hand: the build must use the lock as it is now.
      Files.writeString(lock, locked.replace(bases[0], bases[1]));
      Run edited = run(spec, cache, out);
      assertFalse(edited.served());
      assertNotEquals(first.digest(), edited.digest());
      Path copy = Files.createDirectories(dir.resolve("copy"));
      Files.copy(spec, copy.resolve("rig.yaml"));
      Files.copy(lock, copy.resolve("rig.lock"));
      Files.copy(dir.resolve("a.txt"), copy.resolve("a.txt"));
      Files.createDirectories(copy.resolve("tree"));
      assertEquals(clean(copy.resolve("rig.yaml")), edited.digest());
      assertTrue(run(spec, cache, out).served());
    }
  }
}
