package dev.rig.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.build.event.BuildEvent;
import dev.rig.build.load.ContainerRuntime;
import dev.rig.build.output.OutputTarget;
import dev.rig.build.push.ImagePushes;
import dev.rig.build.result.BuiltImage;
import dev.rig.build.result.LayerReport;
import dev.rig.build.result.PhaseTime;
import dev.rig.build.result.PushedImage;
import dev.rig.spec.Project;
import dev.rig.testkit.Exec;
import dev.rig.testkit.LocalRegistry;
import dev.rig.testkit.Podman;
import dev.rig.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline driven through its front door alone, as the command line and the bench drive it:
 * load, build, export, push to a real registry, load into podman; values in, values out, and the
 * events and phase timings every caller sees.
 */
class RigFacadeTest {
  @TempDir Path dir;

  @Test
  void loadBuildExportPushAndLoadThroughTheFacade() throws Exception {
    Path busybox = Tools.require("busybox", "busybox-static");
    String name = "facade-" + UUID.randomUUID().toString().substring(0, 8);
    Files.writeString(dir.resolve("hello.txt"), "hello\n");
    Path spec = dir.resolve("rig.yaml");
    Files.writeString(
        spec,
        "images:\n"
            + "  "
            + name
            + ":\n"
            + "    cmd: [/bin/busybox, cat, /hello.txt]\n"
            + "    copyToRoot:\n"
            + "      - { source: "
            + busybox
            + ", target: /bin/busybox, mode: \"0755\" }\n"
            + "      - { source: hello.txt, target: /hello.txt }\n");
    List<BuildEvent> events = Collections.synchronizedList(new ArrayList<>());
    RigSettings settings = RigSettings.defaults(dir.resolve("cache")).withListener(events::add);
    try (Rig rig = Rig.open(settings);
        LocalRegistry registry = LocalRegistry.start(dir.resolve("registry"))) {
      Project project = rig.load(Optional.of(spec));
      List<BuiltImage> images = rig.build(project, List.of());
      BuiltImage image = images.get(0);
      assertEquals(name + ":latest", image.reference());
      assertEquals(
          List.of("built", "built", "built"),
          image.layers().stream().map(LayerReport::origin).toList());

      rig.export(images, new OutputTarget.OciLayout(dir.resolve("out")));
      assertTrue(Files.isRegularFile(dir.resolve("out/index.json")));

      List<PushedImage> pushed =
          rig.push(
              images, Optional.of(registry.host() + "/facade/" + name), ImagePushes.Format.oci);
      assertEquals(image.digest(), pushed.get(0).digest());
      assertEquals(4, pushed.get(0).blobsUploaded()); // three layers and the config

      Podman podman = Podman.create(dir.resolve("podman"));
      ContainerRuntime runtime =
          new ContainerRuntime(ContainerRuntime.Kind.podman, podman.launcher());
      rig.load(images, runtime);
      Exec.Result run =
          podman.run("run", "--rm", "--network", "none", "localhost/" + name + ":latest").ok();
      assertEquals("hello\n", run.stdout());
      podman.run("rmi", "-f", "localhost/" + name + ":latest");

      // A second build is served by the cache, and says so.
      BuiltImage again = rig.build(project, List.of(name)).get(0);
      assertEquals(image.digest(), again.digest());
      assertEquals(3, again.layersReused());
    }
    List<String> phases = new ArrayList<>();
    for (BuildEvent event : events) {
      if (event instanceof BuildEvent.PhaseDone done) {
        phases.add(done.phase().label());
      }
    }
    assertEquals(List.of("spec", "layers", "export", "push", "load", "layers"), phases);
  }

  @Test
  void phasesAreKeptForJson() throws Exception {
    Files.writeString(dir.resolve("a.txt"), "a\n");
    Path spec = dir.resolve("rig.yaml");
    Files.writeString(
        spec, "images:\n  kept:\n    copyToRoot:\n      - { source: a.txt, target: /a.txt }\n");
    try (Rig rig = Rig.open(RigSettings.defaults(dir.resolve("cache")))) {
      rig.build(rig.load(Optional.of(spec)), List.of());
      List<PhaseTime> phases = rig.phases();
      assertEquals(List.of("spec", "layers"), phases.stream().map(PhaseTime::phase).toList());
      assertEquals("kept", phases.get(1).scope());
      assertEquals(2, phases.get(1).count());
    }
  }
}
