package dev.rig.build.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.build.Rig;
import dev.rig.build.RigSettings;
import dev.rig.build.event.BuildEvent;
import dev.rig.build.result.BuiltImage;
import dev.rig.build.result.LoadReport;
import dev.rig.testkit.Exec;
import dev.rig.testkit.Podman;
import dev.rig.testkit.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading into a real podman: pulled from rig's loopback registry, only what its store lacks. */
class ImageLoaderTest {
  @TempDir Path dir;

  private final String name = "loader-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<BuildEvent> events = Collections.synchronizedList(new ArrayList<>());

  private Path spec(String hello) throws IOException {
    Path busybox = Tools.require("busybox", "busybox-static");
    Files.writeString(dir.resolve("hello.txt"), hello);
    return Files.writeString(
        dir.resolve("rig.yaml"),
        "images:\n  "
            + name
            + ":\n    cmd: [/bin/busybox, cat, /hello.txt]\n    copyToRoot:\n      - { source: "
            + busybox
            + ", target: /bin/busybox, mode: \"0755\" }\n"
            + "      - { source: hello.txt, target: /hello.txt }\n");
  }

  private Rig rig() {
    return Rig.open(RigSettings.defaults(dir.resolve("cache")).withListener(events::add));
  }

  private static List<BuiltImage> build(Rig rig, Path spec) throws Exception {
    return rig.build(rig.load(Optional.of(spec)), List.of());
  }

  @Test
  void loadsWithTheImagesIdThenSendsOnlyWhatChanged() throws Exception {
    Podman podman = Podman.create(dir.resolve("podman"));
    ContainerRuntime runtime =
        new ContainerRuntime(ContainerRuntime.Kind.podman, podman.launcher());
    String loaded = "localhost/" + name + ":latest";
    List<String> ids = new ArrayList<>();
    try (Rig rig = rig()) {
      BuiltImage image = build(rig, spec("one\n")).get(0);
      ids.add(image.image().configDescriptor().digest().hex());
      LoadReport first = rig.load(List.of(image), runtime);
      assertEquals(List.of(loaded), first.loadedNames());
      assertFalse(first.images().get(0).unchanged());
      assertEquals(image.layerCount(), first.layersSent());
      String id = image.image().configDescriptor().digest().toString();
      assertEquals(id, first.images().get(0).id());
      assertEquals(id.substring(7), inspectId(podman, loaded));
      assertEquals("one\n", podman.run("run", "--rm", "--network", "none", loaded).ok().stdout());
      // The loopback registry's name is gone: only the image's own name is left.
      assertFalse(podman.run("images").ok().stdout().contains("127.0.0.1"));

      LoadReport again = rig.load(List.of(image), runtime);
      assertTrue(again.images().get(0).unchanged(), again.toString());
      assertEquals(0, again.layersSent());

      BuiltImage changed = build(rig, spec("two\n")).get(0);
      LoadReport update = rig.load(List.of(changed), runtime);
      assertFalse(update.images().get(0).unchanged());
      assertEquals(1, update.layersSent(), "only the layer with hello.txt is new");
      assertEquals(changed.image().configDescriptor().digest().hex(), inspectId(podman, loaded));
      assertEquals("two\n", podman.run("run", "--rm", "--network", "none", loaded).ok().stdout());
    } finally {
      podman.run("rmi", "-f", loaded);
      // The first image, left without a name by the update (only this test's own).
      ids.forEach(id -> podman.run("rmi", "-f", id));
    }
  }

  @Test
  void aDamagedCacheBlobFailsTheLoadWithItsOwnReasonAndIsDiscarded() throws Exception {
    Podman podman = Podman.create(dir.resolve("podman"));
    ContainerRuntime runtime =
        new ContainerRuntime(ContainerRuntime.Kind.podman, podman.launcher());
    try (Rig rig = rig()) {
      BuiltImage image = build(rig, spec("damaged\n")).get(0);
      // The busybox layer: the largest blob, a gzip stream whose middle is overwritten.
      var largest =
          image.image().layers().stream()
              .max((a, b) -> Long.compare(a.blob().size(), b.blob().size()))
              .orElseThrow();
      Path blob = largest.source().file().orElseThrow();
      byte[] bytes = Files.readAllBytes(blob);
      for (int i = bytes.length / 2; i < bytes.length / 2 + 64; i++) {
        bytes[i] = (byte) ~bytes[i];
      }
      Files.write(blob, bytes);
      IOException e = assertThrows(IOException.class, () -> rig.load(List.of(image), runtime));
      assertTrue(e.getMessage().contains("is corrupt"), e.getMessage());
      assertTrue(e.getMessage().contains("build again"), e.getMessage());
      assertFalse(Files.exists(blob), "the damaged blob is discarded");
    } finally {
      podman.run("rmi", "-f", "localhost/" + name + ":latest");
    }
  }

  @Test
  void aPodmanThatCannotPullGetsTheArchiveStreamed() throws Exception {
    Podman podman = Podman.create(dir.resolve("podman"));
    Path noPull = dir.resolve("no-pull/podman");
    Files.createDirectories(noPull.getParent());
    Files.writeString(
        noPull,
        "#!/bin/sh\n[ \"$1\" = pull ] && { echo 'Error: pulls are blocked here' >&2; exit 125; }\n"
            + "exec "
            + podman.launcher()
            + " \"$@\"\n");
    Files.setPosixFilePermissions(noPull, PosixFilePermissions.fromString("rwxr-xr-x"));
    ContainerRuntime runtime = new ContainerRuntime(ContainerRuntime.Kind.podman, noPull);
    String loaded = "localhost/" + name + ":latest";
    try (Rig rig = rig()) {
      BuiltImage image = build(rig, spec("streamed\n")).get(0);
      rig.load(List.of(image), runtime);
      assertEquals(
          "streamed\n", podman.run("run", "--rm", "--network", "none", loaded).ok().stdout());
      assertTrue(
          events.stream()
              .anyMatch(
                  e ->
                      e instanceof BuildEvent.Notice n
                          && n.warning()
                          && n.text().contains("pulls are blocked here")
                          && n.text().contains("podman load")),
          events.toString());
    } finally {
      podman.run("rmi", "-f", loaded);
    }
  }

  @Test
  void dockerIsStreamedADockerArchive() throws Exception {
    Path docker = dir.resolve("bin/docker");
    Path received = dir.resolve("received.tar");
    Files.createDirectories(docker.getParent());
    Files.writeString(
        docker,
        "#!/bin/sh\ncase \"$1\" in images) exit 0 ;; load) cat > "
            + received
            + "; echo Loaded image: x ;; *) exit 1 ;; esac\n");
    Files.setPosixFilePermissions(docker, PosixFilePermissions.fromString("rwxr-xr-x"));
    ContainerRuntime runtime = new ContainerRuntime(ContainerRuntime.Kind.docker, docker);
    try (Rig rig = rig()) {
      BuiltImage image = build(rig, spec("docker\n")).get(0);
      LoadReport report = rig.load(List.of(image), runtime);
      assertEquals(List.of(name + ":latest"), report.loadedNames());
      assertEquals("Loaded image: x", report.engineOutput());
      String listing = Exec.run(List.of("tar", "-tf", received.toString())).ok().stdout();
      assertTrue(listing.contains("manifest.json"), listing);
    }
  }

  private static String inspectId(Podman podman, String image) {
    return podman.run("image", "inspect", "--format", "{{.Id}}", image).ok().stdout().strip();
  }
}
