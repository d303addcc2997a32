package dev.rig.apt.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.apt.control.PackageRecord;
import dev.rig.apt.testrepo.Fixtures;
import dev.rig.testkit.HermeticRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexCacheTest {
  @TempDir static Path dir;
  static HermeticRepo repo;

  @BeforeAll
  static void buildRepo() throws IOException {
    repo = HermeticRepo.build(dir.resolve("repo"), "rigtest", Fixtures.DEBS);
  }

  /** A fetcher that records what it was asked for. */
  private static final class Counting implements RepositoryFetcher {
    final DirectoryFetcher inner = new DirectoryFetcher(repo.root());
    final List<String> asked = new ArrayList<>();

    @Override
    public Optional<byte[]> fetch(String relativePath) throws IOException {
      asked.add(relativePath);
      return inner.fetch(relativePath);
    }

    @Override
    public String describe() {
      return inner.describe();
    }
  }

  /** Resolves through {@code cache}, and waits for what it stores in the background. */
  private static int read(Counting fetcher, IndexCache cache) throws IOException {
    SuiteReader reader =
        SuiteReader.cached(fetcher, "rigtest", Keyring.read(repo.keyring()), cache);
    int size = reader.packages(reader.release(), "main", "amd64").size();
    IndexCache.awaitWrites();
    return size;
  }

  @Test
  void aSecondResolveFetchesOnlyTheReleaseFile(@TempDir Path cacheDir) throws IOException {
    IndexCache cache = IndexCache.in(cacheDir);
    Counting first = new Counting();
    assertEquals(Fixtures.DEBS.size(), read(first, cache));
    assertEquals(2, first.asked.size(), first.asked.toString());
    Counting second = new Counting();
    assertEquals(Fixtures.DEBS.size(), read(second, cache));
    assertEquals(List.of("dists/rigtest/InRelease"), second.asked);
  }

  @Test
  void aDamagedEntryIsFetchedAgain(@TempDir Path cacheDir) throws IOException {
    IndexCache cache = IndexCache.in(cacheDir);
    read(new Counting(), cache);
    try (Stream<Path> files = Files.list(cacheDir)) {
      for (Path file : files.toList()) {
        Files.write(file, new byte[] {1, 2, 3});
      }
    }
    // Another process: this cache keeps what it parsed in memory, a new one reads the files.
    Counting again = new Counting();
    assertEquals(Fixtures.DEBS.size(), read(again, IndexCache.in(cacheDir)));
    assertEquals(2, again.asked.size(), again.asked.toString());
  }

  private static List<Path> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
    }
  }

  @Test
  void aSecondResolveReadsTheParsedRecordsNotTheIndexText(@TempDir Path cacheDir)
      throws IOException {
    IndexCache cache = IndexCache.in(cacheDir);
    read(new Counting(), cache);
    assertEquals(1, files(cacheDir, ".parsed").size());
    // Without the index text the records can only come from the parsed entry.
    for (Path text : files(cacheDir, "")) {
      if (!text.getFileName().toString().endsWith(".parsed")) {
        Files.delete(text);
      }
    }
    Counting second = new Counting();
    SuiteReader reader =
        SuiteReader.cached(
            second, "rigtest", Keyring.read(repo.keyring()), IndexCache.in(cacheDir));
    var records = reader.packages(reader.release(), "main", "amd64");
    assertEquals(List.of("dists/rigtest/InRelease"), second.asked);
    SuiteReader plain = new SuiteReader(new Counting(), "rigtest", Keyring.read(repo.keyring()));
    assertEquals(plain.packages(plain.release(), "main", "amd64"), records);
  }

  /**
   * One build resolves the same indexes several times (the image, rig-init's Java tools): a cache
   * decodes a parsed entry once and hands the same records out again while the file is unchanged.
   */
  @Test
  void oneCacheDecodesAParsedEntryOnce(@TempDir Path cacheDir) throws IOException {
    IndexCache cache = IndexCache.in(cacheDir);
    read(new Counting(), cache);
    String name = files(cacheDir, ".parsed").get(0).getFileName().toString();
    String sha256 = name.substring(0, name.length() - ".parsed".length());
    IndexCache reading = IndexCache.in(cacheDir);
    List<PackageRecord> first = reading.parsed(sha256).orElseThrow();
    assertSame(first, reading.parsed(sha256).orElseThrow(), "decoded a second time");
    List<PackageRecord> elsewhere = IndexCache.in(cacheDir).parsed(sha256).orElseThrow();
    assertEquals(first, elsewhere);
    assertNotSame(first, elsewhere, "another cache decodes its own");
  }

  /** The records a cache parsed are served from memory at once, before their file is written. */
  @Test
  void aCacheServesWhatItParsedFromMemory(@TempDir Path cacheDir) throws IOException {
    IndexCache cache = IndexCache.in(cacheDir);
    read(new Counting(), cache);
    String name = files(cacheDir, ".parsed").get(0).getFileName().toString();
    String sha256 = name.substring(0, name.length() - ".parsed".length());
    Files.delete(cacheDir.resolve(name));
    assertEquals(Fixtures.DEBS.size(), cache.parsed(sha256).orElseThrow().size());
    assertTrue(IndexCache.in(cacheDir).parsed(sha256).isEmpty(), "another cache reads the file");
  }

  @Test
  void aDamagedParsedEntryIsParsedAgainAndRewritten(@TempDir Path cacheDir) throws IOException {
    IndexCache cache = IndexCache.in(cacheDir);
    read(new Counting(), cache);
    Path parsed = files(cacheDir, ".parsed").get(0);
    byte[] good = Files.readAllBytes(parsed);
    byte[] damaged = good.clone();
    damaged[good.length / 2] ^= 0x01;
    Files.write(parsed, damaged);
    Counting again = new Counting();
    assertEquals(Fixtures.DEBS.size(), read(again, IndexCache.in(cacheDir)));
    // The text entry was still good: read from the cache, parsed, and the entry written anew.
    assertEquals(List.of("dists/rigtest/InRelease"), again.asked);
    assertArrayEquals(good, Files.readAllBytes(parsed));
  }
}
