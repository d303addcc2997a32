package dev.rig.build.home;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.build.TestSpecs;
import dev.rig.oci.layer.Content;
import dev.rig.oci.layer.LayerEntry;
import dev.rig.oci.layer.LayerInput;
import dev.rig.spec.CudaSpec;
import dev.rig.spec.EnvironmentSpec;
import dev.rig.spec.ImageSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HomeLayerTest {
  @TempDir Path dir;

  @Test
  void pathsUnderHomeUserLandInRoot() {
    assertEquals(Optional.of("/root/.bashrc"), HomeLayer.map("/root/home/alice/.bashrc"));
    assertEquals(
        Optional.of("/root/.config/nvim/init.lua"),
        HomeLayer.map("/root/home/bob/.config/nvim/init.lua"));
    assertEquals(Optional.empty(), HomeLayer.map("/root/home/alice"));
    assertEquals(Optional.empty(), HomeLayer.map("/root/home"));
    assertEquals(Optional.of("/root/.vimrc"), HomeLayer.map("/root/.vimrc"));
    assertEquals(Optional.of("/root/homework/x"), HomeLayer.map("/root/homework/x"));
  }

  private static String text(LayerEntry entry) throws Exception {
    Content.Bytes bytes = (Content.Bytes) entry.content();
    return new String(bytes.bytes(), StandardCharsets.UTF_8);
  }

  @Test
  void theUsersFilesGoOverRigsDefaultsOwnedByRootWithTheirModes() throws Exception {
    Path home = dir.resolve("dotfiles");
    Files.createDirectories(home.resolve("home/alice/.config/app"));
    Files.writeString(home.resolve("home/alice/.bashrc"), "echo mine\n");
    Files.writeString(home.resolve("home/alice/.config/app/run.sh"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(
        home.resolve("home/alice/.config/app/run.sh"),
        PosixFilePermissions.fromString("rwxr-x---"));
    Files.writeString(home.resolve(".gitconfig"), "[user]\n");
    Files.setPosixFilePermissions(
        home.resolve(".gitconfig"), PosixFilePermissions.fromString("rw-------"));
    ImageSpec spec =
        TestSpecs.image(
            Map.of(),
            TestSpecs.packages(List.of("python3"), List.of(), EnvironmentSpec.DEFAULT),
            CudaSpec.DEFAULT,
            Optional.of(home));

    LayerInput layer = HomeLayer.layer(spec).orElseThrow();
    assertEquals(HomeLayer.CREATED_BY, layer.createdBy());
    Map<String, LayerEntry> byPath =
        layer.entries().stream().collect(Collectors.toMap(LayerEntry::path, e -> e));
    assertEquals(
        java.util.Set.of(
            "/root",
            "/root/.bashrc",
            "/root/.profile",
            "/root/.tmux.conf",
            "/root/.gitconfig",
            "/root/.config",
            "/root/.config/app",
            "/root/.config/app/run.sh"),
        byPath.keySet());
    assertEquals(0700, byPath.get("/root").mode());
    assertEquals(0750, byPath.get("/root/.config/app/run.sh").mode());
    assertEquals(0600, byPath.get("/root/.gitconfig").mode());
    for (LayerEntry entry : layer.entries()) {
      assertEquals(0, entry.uid(), entry.path());
      assertEquals(0, entry.gid(), entry.path());
    }
    LayerEntry bashrc = byPath.get("/root/.bashrc");
    assertEquals(
        "echo mine\n",
        new String(Files.readAllBytes(home.resolve("home/alice/.bashrc")), StandardCharsets.UTF_8));
    assertTrue(!(bashrc.content() instanceof Content.Bytes), "the user's .bashrc replaced rig's");
    assertTrue(text(byPath.get("/root/.tmux.conf")).contains("set -g mouse on"));
  }

  @Test
  void rigsDefaultHomeOnlyInImagesThatInstallPackages() throws Exception {
    ImageSpec packages = TestSpecs.withPackages("python3");
    List<String> paths =
        HomeLayer.layer(packages).orElseThrow().entries().stream().map(LayerEntry::path).toList();
    assertEquals(List.of("/root", "/root/.bashrc", "/root/.profile", "/root/.tmux.conf"), paths);
    String bashrc = text(HomeLayer.layer(packages).orElseThrow().entries().get(1));
    assertTrue(bashrc.contains("PS1="), bashrc);
    assertTrue(bashrc.contains("alias ll="), bashrc);

    ImageSpec bare =
        TestSpecs.image(
            Map.of(),
            TestSpecs.packages(List.of(), List.of(), EnvironmentSpec.DEFAULT),
            CudaSpec.DEFAULT,
            Optional.empty());
    assertEquals(Optional.empty(), HomeLayer.layer(bare));
  }
}
