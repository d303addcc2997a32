package dev.rig.build;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.build.event.BuildEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build first removes what interrupted runs left in every folder of the cache's kinds, the layer
 * index's tables and install stages included, and leaves a running process's alone.
 */
class CacheLeftoversTest {
  @TempDir Path dir;

  @Test
  void aBuildSweepsLeftoversOfGoneProcessesFromEveryKindsFolders() throws Exception {
    Path cache = dir.resolve("cache");
    Process process = new ProcessBuilder("true").start();
    process.waitFor();
    long gone = process.pid();
    long running = ProcessHandle.current().pid();
    Path table = Files.createDirectories(cache.resolve("layers/gzip-rig1"));
    Path index = Files.write(table.resolve(".tmp-" + gone + "-1.part"), new byte[10]);
    Path stage = Files.createDirectories(cache.resolve("stages/.tmp-" + gone + "-2/usr"));
    Files.write(stage.resolve("lib"), new byte[100]);
    Path usage = Files.createDirectories(cache.resolve("usage"));
    Path record = Files.write(usage.resolve(".tmp-" + gone + "-3.part"), new byte[1]);
    Path live = Files.createDirectories(cache.resolve("stages/.tmp-" + running + "-4"));

    Files.writeString(dir.resolve("a.txt"), "a\n");
    Path spec = dir.resolve("rig.yaml");
    Files.writeString(
        spec, "images:\n  swept:\n    copyToRoot:\n      - { source: a.txt, target: /a.txt }\n");
    List<BuildEvent> events = Collections.synchronizedList(new ArrayList<>());
    try (Rig rig = Rig.open(RigSettings.defaults(cache).withListener(events::add))) {
      rig.build(rig.load(Optional.of(spec)), List.of());
    }

    assertFalse(Files.exists(index));
    assertFalse(Files.exists(stage.getParent()));
    assertFalse(Files.exists(record));
    assertTrue(Files.isDirectory(live), "a running process's stage is its own");
    assertTrue(
        events.stream()
            .anyMatch(
                e ->
                    e instanceof BuildEvent.Notice n
                        && n.text().equals("reclaimed 3 leftover(s) of interrupted runs (111 B)")),
        events.toString());
  }
}
