package dev.rig.spec;

import static dev.rig.spec.SpecFiles.AMENDS;
import static dev.rig.spec.SpecFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spec cache: an unchanged spec is not evaluated again; any changed input is. */
class SpecCacheTest {
  @TempDir Path dir;

  private final List<SpecCacheEvent> events = new ArrayList<>();

  private static final String IMPORTING =
      AMENDS
          + """
          import "lib/common.pkl"

          images {
            ["app"] {
              tag = common.tag
              env { ["GREETING"] = read("greeting.txt").text.trim() }
              copyToRoot { new { source = "files"; target = "/opt/files" } }
            }
          }
          """;

  private Path project() {
    write(dir, "lib/common.pkl", "tag = \"1.0\"\n");
    write(dir, "greeting.txt", "hello\n");
    write(dir, "files/a", "a");
    return write(dir, "rig.pkl", IMPORTING);
  }

  private Project load(Path spec) throws SpecException {
    events.clear();
    return SpecLoader.load(spec, SpecCache.in(dir.resolve("cache"), events::add));
  }

  private SpecCacheEvent first() {
    return events.get(0);
  }

  @Test
  void anUnchangedSpecIsNotEvaluatedAgainAndGivesTheSameProject() throws Exception {
    Path spec = project();
    Project evaluated = load(spec);
    assertInstanceOf(SpecCacheEvent.Miss.class, first());
    assertInstanceOf(SpecCacheEvent.Stored.class, events.get(1));
    // The spec, the import and the read file (plus the schema's host path check) were recorded.
    assertTrue(((SpecCacheEvent.Stored) events.get(1)).inputs() >= 4, events.toString());

    Project cached = load(spec);
    assertEquals(List.of(new SpecCacheEvent.Hit(spec)), events);
    assertEquals(evaluated, cached);
    assertEquals(SpecLoader.load(spec), cached);
    assertEquals("1.0", cached.images().get("app").tag());
    assertEquals("hello", cached.images().get("app").env().get("GREETING"));
    try (Stream<Path> files = Files.list(dir.resolve("cache"))) {
      assertEquals(1, files.count(), "one entry and no temporary files");
    }
  }

  @Test
  void aChangedImportIsEvaluatedAgain() throws Exception {
    Path spec = project();
    load(spec);
    write(dir, "lib/common.pkl", "tag = \"2.0\"\n");
    Project changed = load(spec);
    assertMiss("common.pkl");
    assertEquals("2.0", changed.images().get("app").tag());
    assertEquals(List.of(new SpecCacheEvent.Hit(spec)), reload(spec));
  }

  @Test
  void aChangedSpecIsEvaluatedAgain() throws Exception {
    Path spec = project();
    load(spec);
    write(dir, "rig.pkl", IMPORTING.replace("common.tag", "\"3.0\""));
    assertEquals("3.0", load(spec).images().get("app").tag());
    assertMiss("rig.pkl");
  }

  @Test
  void aChangedReadFileIsEvaluatedAgain() throws Exception {
    Path spec = project();
    load(spec);
    write(dir, "greeting.txt", "bonjour\n");
    assertEquals("bonjour", load(spec).images().get("app").env().get("GREETING"));
    assertMiss("greeting.txt");
  }

  @Test
  void aFileThatAppearsIsReadAgain() throws Exception {
    Path spec =
        write(
            dir,
            "rig.pkl",
            AMENDS
                + "images { [\"app\"] { tag = read?(\"extra.txt\")?.text?.trim() ?? \"none\" } }\n");
    assertEquals("none", load(spec).images().get("app").tag());
    assertEquals(List.of(new SpecCacheEvent.Hit(spec)), reload(spec));
    write(dir, "extra.txt", "there\n");
    assertEquals("there", load(spec).images().get("app").tag());
    assertMiss("extra.txt");
  }

  @Test
  void aHostPathThatChangedKindIsCheckedAgain() throws Exception {
    Path spec =
        write(
            dir,
            "rig.pkl",
            AMENDS
                + "images { [\"app\"] { copyToRoot { new { source = \"x\"; target = \"/x\" } } } }\n");
    write(dir, "x", "a file");
    load(spec);
    Files.delete(dir.resolve("x"));
    // The schema's check of the source path is an input: now it fails, as without a cache.
    assertThrows(SpecException.class, () -> load(spec));
    assertMiss("rig-host:");
  }

  @Test
  void aChangedYamlSpecIsEvaluatedAgain() throws Exception {
    Path spec = write(dir, "rig.yaml", "images:\n  app:\n    tag: \"1\"\n");
    load(spec);
    assertEquals(List.of(new SpecCacheEvent.Hit(spec)), reload(spec));
    write(dir, "rig.yaml", "images:\n  app:\n    tag: \"2\"\n");
    assertEquals("2", load(spec).images().get("app").tag());
    assertMiss("rig.yaml");
  }

  @Test
  void anImportReachedThroughAMovedLinkIsEvaluatedAgain() throws Exception {
    Path spec =
        write(dir, "rig.pkl", AMENDS + "import \"v.pkl\"\nimages { [\"app\"] { tag = v.tag } }\n");
    write(dir, "a/v.pkl", "tag = \"a\"\n");
    write(dir, "b/v.pkl", "tag = \"b\"\n");
    Path link = dir.resolve("v.pkl");
    Files.createSymbolicLink(link, dir.resolve("a/v.pkl"));
    assertEquals("a", load(spec).images().get("app").tag());
    Files.delete(link);
    Files.createSymbolicLink(link, dir.resolve("b/v.pkl"));
    assertEquals("b", load(spec).images().get("app").tag());
    assertMiss("v.pkl");
  }

  @Test
  void theEnvironmentCannotReachASpec() throws Exception {
    // No env: reader: so no environment variable can change what a cached spec would give.
    Path spec =
        write(dir, "rig.pkl", AMENDS + "images { [\"app\"] { tag = read(\"env:HOME\").text } }\n");
    assertThrows(SpecException.class, () -> load(spec));
    assertTrue(
        events.stream().noneMatch(e -> e instanceof SpecCacheEvent.Stored), events.toString());
    Path prop =
        write(
            dir,
            "rig.pkl",
            AMENDS + "images { [\"app\"] { tag = read(\"prop:user.home\").text } }\n");
    assertThrows(SpecException.class, () -> load(prop));
  }

  @Test
  void aGlobImportIsNotCached() throws Exception {
    write(dir, "parts/one.pkl", "tag = \"1\"\n");
    Path spec =
        write(
            dir,
            "rig.pkl",
            AMENDS
                + "local parts = import*(\"parts/*.pkl\")\n"
                + "images { [\"app\"] { tag = parts.toMap().values.first.tag } }\n");
    assertEquals("1", load(spec).images().get("app").tag());
    assertInstanceOf(SpecCacheEvent.NotStored.class, events.get(1));
    assertInstanceOf(SpecCacheEvent.Miss.class, reload(spec).get(0));
  }

  @Test
  void aDamagedEntryIsIgnoredAndReplaced() throws Exception {
    Path spec = project();
    Project evaluated = load(spec);
    Path entry = onlyEntry();
    byte[] bytes = Files.readAllBytes(entry);
    bytes[bytes.length / 2] ^= 1;
    Files.write(entry, bytes);
    assertEquals(evaluated, load(spec));
    assertMiss("damaged");
    assertEquals(List.of(new SpecCacheEvent.Hit(spec)), reload(spec));

    Files.write(entry, new byte[] {1, 2, 3});
    assertEquals(evaluated, load(spec));
    assertMiss("damaged");
    Files.write(entry, new byte[0]);
    assertEquals(evaluated, load(spec));
    assertMiss("damaged");
  }

  @Test
  void anUnwritableCacheNeverFailsTheLoad() throws Exception {
    Path spec = project();
    write(dir, "cache", "a file where the cache directory should be");
    assertEquals(SpecLoader.load(spec), load(spec));
    assertInstanceOf(SpecCacheEvent.NotStored.class, events.get(events.size() - 1));
  }

  @Test
  void valuesSurviveTheEntryExactly() throws Exception {
    Path spec =
        write(
            dir,
            "rig.pkl",
            AMENDS
                + """
                images {
                  ["app"] {
                    runtime {
                      services {
                        ["web"] {
                          command { "serve"; "ünïcödé ✓" }
                          restartDelay = 0.1
                          stopTimeout = 2.5e-3
                          readiness { tcpPort = 8080 }
                        }
                      }
                    }
                  }
                }
                """);
    Project evaluated = load(spec);
    Project cached = load(spec);
    assertEquals(List.of(new SpecCacheEvent.Hit(spec)), events);
    assertEquals(evaluated, cached);
    RuntimeSpec.Service web = cached.images().get("app").runtime().services().get("web");
    assertEquals(0.1, web.restartDelay());
    assertEquals(2.5e-3, web.stopTimeout());
    assertNotEquals(List.of(), web.command());
  }

  private List<SpecCacheEvent> reload(Path spec) throws SpecException {
    load(spec);
    return List.copyOf(events);
  }

  private void assertMiss(String what) {
    SpecCacheEvent.Miss miss = assertInstanceOf(SpecCacheEvent.Miss.class, first());
    assertTrue(miss.reason().contains(what), miss.reason());
  }

  private Path onlyEntry() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("cache"))) {
      return files.findFirst().orElseThrow();
    }
  }
}
