package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.spec.ImageSpec;
import dev.rig.spec.Project;
import dev.rig.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rig init}: every template scaffolds a project that loads; files are never overwritten. */
class InitCommandTest {
  @TempDir Path dir;

  static final List<String> TEMPLATES =
      List.of("basic", "services", "comfyui-style", "github-registry", "auth-key", "custom-home");

  @Test
  void listShowsEveryTemplate() {
    RigRun run = RigRun.of(List.of("init", "--list")).ok();
    List<String> names = run.stdout().lines().map(l -> l.split("\\s+")[0]).toList();
    assertEquals(TEMPLATES, names);
  }

  @Test
  void everyTemplateScaffoldsAProjectThatLoads() throws Exception {
    for (String template : TEMPLATES) {
      Path project = dir.resolve("My Project " + template);
      RigRun.of(List.of("init", template, "--dir", project.toString())).ok();
      String name = "my-project-" + template;
      assertTrue(Files.readString(project.resolve(".gitignore")).contains("out/"), template);
      assertTrue(Files.readString(project.resolve("README.md")).contains(name), template);
      Project loaded = SpecLoader.load(project.resolve("rig.pkl"));
      assertEquals(Set.of(name), loaded.images().keySet(), template);
      ImageSpec image = loaded.images().get(name);
      assertFalse(image.packages().isEmpty(), template + " is a GPU image with packages");
      assertTrue(image.cuda().enable(), template);
      switch (template) {
        case "services" ->
            assertEquals(Set.of("web", "worker"), image.runtime().services().keySet());
        case "comfyui-style" -> {
          assertTrue(Files.isRegularFile(project.resolve("comfyui.pkl")));
          assertEquals(
              "--port",
              image.runtime().services().get("comfyui").command().get(4),
              image.runtime().services().toString());
        }
        case "github-registry" ->
            assertEquals(List.of("ghcr.io/owner/" + name), image.registries());
        case "auth-key" -> {
          assertEquals(
              java.util.Optional.of("tailscale-authkey"),
              image.runtime().tailscale().authKeySecret());
          assertTrue(image.runtime().secrets().containsKey("tailscale-authkey"));
        }
        case "custom-home" -> {
          assertEquals(
              java.util.Optional.of(
                  new dev.rig.spec.HomeSource.Directory(project.resolve("dotfiles"))),
              image.home());
          assertTrue(Files.isRegularFile(project.resolve("dotfiles/.bash_aliases")));
          assertTrue(Files.isRegularFile(project.resolve("dotfiles/.config/htop/htoprc")));
        }
        default -> assertEquals(List.of("python3"), image.packages().requests());
      }
    }
  }

  @Test
  void theNameOptionNamesTheImage() throws Exception {
    RigRun.of(List.of("init", "--dir", dir.toString(), "--name", "gpu-box")).ok();
    assertEquals(Set.of("gpu-box"), SpecLoader.load(dir.resolve("rig.pkl")).images().keySet());
  }

  @Test
  void existingFilesAreNeverOverwritten() throws Exception {
    Files.writeString(dir.resolve("README.md"), "mine\n");
    RigRun run = RigRun.of(List.of("init", "basic", "--dir", dir.toString()));
    assertEquals(1, run.exitCode(), run.describe());
    assertTrue(run.stderr().contains("already has README.md"), run.describe());
    assertTrue(run.stderr().contains("never overwrites"), run.describe());
    assertEquals("mine\n", Files.readString(dir.resolve("README.md")));
    assertFalse(Files.exists(dir.resolve("rig.pkl")), "nothing is written when one file exists");
  }

  @Test
  void anUnknownTemplateNamesTheKnownOnes() {
    RigRun run = RigRun.of(List.of("init", "fancy", "--dir", dir.toString()));
    assertEquals(1, run.exitCode(), run.describe());
    assertTrue(run.stderr().contains("no template \"fancy\""), run.describe());
    assertTrue(run.stderr().contains("comfyui-style"), run.describe());
  }
}
