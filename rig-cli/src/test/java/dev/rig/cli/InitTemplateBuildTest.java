package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.testkit.Podman;
import dev.rig.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every template, scaffolded by {@code rig init}, builds with {@code rig build}, all sharing one
 * cache; basic runs under podman with CUDA's variables and files, the default home and the shell
 * set, custom-home with its dotfiles in /root. To keep the test to about three minutes, a Pkl file
 * amending each scaffolded rig.pkl narrows the package set: CUDA to libcudart12 (the full default
 * set is 700 MB of .debs) and the core and network sets off.
 */
class InitTemplateBuildTest {
  @TempDir Path dir;

  private Path scaffold(String template, String name) throws Exception {
    Path project = dir.resolve(template);
    RigRun.of(List.of("init", template, "--dir", project.toString(), "--name", name)).ok();
    Path narrowed = project.resolve("ci.pkl");
    Files.writeString(
        narrowed,
        "amends \"rig.pkl\"\n\nimages {\n  [\""
            + name
            + "\"] {\n"
            + "    cuda { packages = new Listing { \"libcudart12\" } }\n"
            + "    environment { core = false; network = false }\n"
            + "  }\n}\n");
    return narrowed;
  }

  private String build(Path spec, String out) {
    RigRun build =
        RigRun.withCache(
                dir.resolve("cache"), List.of("build", "-f", spec.toString(), "--out", out))
            .ok();
    assertTrue(Files.isRegularFile(spec.resolveSibling("rig.lock")), "the build writes rig.lock");
    return build.stdout();
  }

  private static String run(Podman podman, Path archive, String ref, String script) {
    podman.run("load", "-i", archive.toString()).ok();
    try {
      return podman
          .run(Duration.ofMinutes(2), "run", "--rm", "--entrypoint", "/bin/sh", ref, "-c", script)
          .ok()
          .stdout();
    } finally {
      podman.run("rmi", "-f", ref);
    }
  }

  @Test
  void everyTemplateBuildsAndBasicAndCustomHomeRun() throws Exception {
    Tools.require("bwrap", "bubblewrap");
    String id = UUID.randomUUID().toString().substring(0, 8);
    Podman podman = Podman.create(dir.resolve("podman"));
    for (String template : InitCommandTest.TEMPLATES) {
      String name = "init-" + template + "-" + id;
      Path spec = scaffold(template, name);
      long start = System.nanoTime();
      if (!template.equals("basic") && !template.equals("custom-home")) {
        String out = build(spec, "oci:" + dir.resolve("layout"));
        assertTrue(out.startsWith(name + ":"), out);
        System.out.printf(
            "%s built in %d s%n", template, (System.nanoTime() - start) / 1_000_000_000L);
        continue;
      }
      Path archive = dir.resolve(template + ".tar");
      build(spec, "docker-archive:" + archive);
      System.out.printf(
          "%s built in %d s%n", template, (System.nanoTime() - start) / 1_000_000_000L);
      String ref = "localhost/" + name + ":latest";
      if (template.equals("custom-home")) {
        String out =
            run(
                podman,
                archive,
                ref,
                "grep -c gpu= /root/.bash_aliases; grep -c 'name = Your Name' /root/.gitconfig;"
                    + " test -f /root/.config/htop/htoprc && echo htoprc-ok;"
                    + " grep -q bash_aliases /root/.bashrc && echo bashrc-ok;"
                    + " stat -c %U /root/.gitconfig; command -v htop");
        assertEquals(
            List.of("1", "1", "htoprc-ok", "bashrc-ok", "root", "/usr/bin/htop"),
            out.strip().lines().toList(),
            out);
        continue;
      }
      String out =
          run(
              podman,
              archive,
              ref,
              String.join(
                  "; ",
                  "echo require=$NVIDIA_REQUIRE_CUDA",
                  "echo caps=$NVIDIA_DRIVER_CAPABILITIES devices=$NVIDIA_VISIBLE_DEVICES",
                  "echo ld=$LD_LIBRARY_PATH cuda=$CUDA_VERSION",
                  "test -e /usr/local/cuda/lib64/libcudart.so.12 && echo cudart-ok",
                  "grep -q 'include /etc/ld.so.conf.d' /etc/ld.so.conf && echo ldconf-ok",
                  "test -x /sbin/ldconfig && test -f /etc/debian_version && echo toolkit-files-ok",
                  "grep -q PS1= /root/.bashrc && test -f /root/.tmux.conf && echo home-ok",
                  "stat -c %U:%a /root",
                  "for p in tmux rg fzf tini python3; do command -v $p; done | wc -l"));
      assertTrue(out.contains("require=cuda>=12.4,driver>=550.54.14"), out);
      assertTrue(out.contains("caps=compute,utility devices=all"), out);
      assertTrue(out.contains("ld=/usr/local/nvidia/lib64:/usr/local/nvidia/lib cuda=12.4"), out);
      for (String ok : List.of("cudart-ok", "ldconf-ok", "toolkit-files-ok", "home-ok")) {
        assertTrue(out.contains(ok), ok + "\n" + out);
      }
      assertTrue(out.contains("root:700"), out);
      assertEquals("5", out.strip().lines().reduce((a, b) -> b).orElse(""), out);
    }
  }
}
