package dev.rig.build.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.build.TestSpecs;
import dev.rig.build.packages.LinkedJava;
import dev.rig.oci.layer.Content;
import dev.rig.oci.layer.LayerEntry;
import dev.rig.oci.layer.LayerInput;
import dev.rig.spec.ImageSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime layer carries rig-init's linked Java at /usr/lib/rig/java and the launcher starts
 * that java with the small-footprint flags; the module list covers what jdeps finds in the jar.
 */
class RuntimeLayerJavaTest {
  @Test
  void theLinkedJavaIsPlacedAndLaunched(@TempDir Path dir) throws IOException {
    Path java = Files.createDirectories(dir.resolve("java/bin"));
    Files.writeString(java.resolve("java"), "elf");
    Files.setPosixFilePermissions(
        java.resolve("java"), PosixFilePermissions.fromString("rwx------"));
    Files.createDirectories(dir.resolve("java/lib"));
    Files.writeString(dir.resolve("java/lib/modules"), "jimage");
    ImageSpec spec = TestSpecs.withPackages("bash");

    LayerInput layer = RuntimeLayer.layer(spec, Optional.of(dir.resolve("java")));
    Map<String, LayerEntry> entries =
        layer.entries().stream().collect(Collectors.toMap(LayerEntry::path, e -> e));
    assertEquals(0755, entries.get("/usr/lib/rig/java/bin/java").mode());
    assertEquals(0644, entries.get("/usr/lib/rig/java/lib/modules").mode());
    assertEquals(0, entries.get("/usr/lib/rig/java/lib/modules").uid());
    String launcher =
        new String(
            ((Content.Bytes) entries.get(RuntimeLayer.LAUNCHER).content()).bytes(),
            StandardCharsets.UTF_8);
    assertTrue(
        launcher.contains(
            "exec /usr/lib/rig/java/bin/java -XX:SharedArchiveFile=/usr/lib/rig/java/lib/rig-init.jsa"
                + " -Xint"),
        launcher);
    assertTrue(launcher.contains("-XX:+UseSerialGC") && launcher.contains("-XX:-UsePerfData"));

    String plain =
        new String(
            ((Content.Bytes)
                    RuntimeLayer.layer(spec).entries().stream()
                        .filter(e -> e.path().equals(RuntimeLayer.LAUNCHER))
                        .findFirst()
                        .orElseThrow()
                        .content())
                .bytes(),
            StandardCharsets.UTF_8);
    assertTrue(plain.contains("exec java "), "without a linked Java, the image's java runs");
  }

  /**
   * jdeps on the embedded rig-init jar: every module it names is linked, and the jar carries no
   * Jackson (rig-init reads its JSON itself; Jackson was 2 MiB of every image).
   */
  @Test
  void theLinkedModulesCoverWhatTheJarUses(@TempDir Path dir) throws Exception {
    Path jar = dir.resolve("rig-init.jar");
    try (var in = RuntimeLayer.class.getResourceAsStream("/rig/runtime/rig-init.jar")) {
      Files.write(jar, in.readAllBytes());
    }
    Path jdeps = Path.of(System.getProperty("java.home"), "bin", "jdeps");
    Process p =
        new ProcessBuilder(
                jdeps.toString(),
                "--multi-release",
                "17",
                "--ignore-missing-deps",
                "--print-module-deps",
                jar.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
    Set<String> needed = new HashSet<>(List.of(out.split(",")));
    List<String> missing = new ArrayList<>(needed);
    missing.removeAll(LinkedJava.MODULES);
    assertEquals(List.of(), missing, "jdeps says rig-init uses modules that are not linked");
    try (var zip = new ZipFile(jar.toFile())) {
      assertTrue(
          zip.stream().noneMatch(e -> e.getName().startsWith("com/fasterxml/")),
          "rig-init's jar carries Jackson");
    }
  }
}
