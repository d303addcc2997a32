package dev.rig.apt.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.apt.testrepo.Fixtures;
import dev.rig.testkit.HermeticRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A signed Release can still be replayed (an old one, to hide updates) or swapped (another suite's,
 * signed by the same key): rig refuses an expired Valid-Until, a Date in the future and a Release
 * of another suite, as apt does.
 */
class ReleaseValidityTest {
  private static final DateTimeFormatter RELEASE_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'UTC'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  @TempDir static Path dir;
  static HermeticRepo repo;
  static HermeticRepo flat;

  /** The tests' clock: fixed, near the real time because the repository keys expire in a day. */
  static Instant now;

  @BeforeAll
  static void buildRepos() throws IOException {
    repo = HermeticRepo.build(dir.resolve("suite"), "rigtest", Fixtures.DEBS);
    flat = HermeticRepo.buildFlat(dir.resolve("flat"), Fixtures.DEBS);
    now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  }

  @Test
  void acceptsAValidUntilStillAhead(@TempDir Path copy) throws IOException {
    Path root = copyOf(repo, copy);
    edit(repo, root, "dists/rigtest", "Valid-Until", now.plus(Duration.ofDays(7)));
    ReleaseFile release = reader(root, "rigtest", now).release();
    assertEquals(now.plus(Duration.ofDays(7)), release.validUntil().orElseThrow());
  }

  @Test
  void refusesAnExpiredValidUntil(@TempDir Path copy) throws IOException {
    Path root = copyOf(repo, copy);
    Instant expired = now.minus(Duration.ofHours(1));
    edit(repo, root, "dists/rigtest", "Valid-Until", expired);
    ReleaseRefusedException e =
        assertThrows(ReleaseRefusedException.class, reader(root, "rigtest", now)::release);
    assertTrue(e.getMessage().contains(root.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("dists/rigtest/InRelease"), e.getMessage());
    assertTrue(e.getMessage().contains("Valid-Until " + expired), e.getMessage());
    assertTrue(e.getMessage().contains("snapshot mirror"), e.getMessage());

    // The detached signature path (Release + Release.gpg) is held to the same rule.
    Files.delete(root.resolve("dists/rigtest/InRelease"));
    ReleaseRefusedException detached =
        assertThrows(ReleaseRefusedException.class, reader(root, "rigtest", now)::release);
    assertTrue(detached.getMessage().contains("dists/rigtest/Release:"), detached.getMessage());
  }

  @Test
  void refusesADateInTheFutureBeyondTheClockSkew(@TempDir Path copy) throws IOException {
    Path root = copyOf(repo, copy);
    edit(repo, root, "dists/rigtest", "Date", now.plus(Duration.ofMinutes(5)));
    assertEquals("rigtest", reader(root, "rigtest", now).release().suite().orElseThrow());

    Instant future = now.plus(Duration.ofHours(1));
    edit(repo, root, "dists/rigtest", "Date", future);
    ReleaseRefusedException e =
        assertThrows(ReleaseRefusedException.class, reader(root, "rigtest", now)::release);
    assertTrue(e.getMessage().contains("dists/rigtest/InRelease"), e.getMessage());
    assertTrue(e.getMessage().contains("Date " + future), e.getMessage());
    assertTrue(e.getMessage().contains("clock"), e.getMessage());
  }

  @Test
  void refusesAnotherSuitesRelease(@TempDir Path copy) throws IOException {
    Path root = copyOf(repo, copy);
    // A mirror that serves rigtest's (validly signed) Release where "stable" was asked for.
    Files.move(root.resolve("dists/rigtest"), root.resolve("dists/stable"));
    ReleaseRefusedException e =
        assertThrows(ReleaseRefusedException.class, reader(root, "stable", now)::release);
    assertTrue(e.getMessage().contains("dists/stable/InRelease"), e.getMessage());
    assertTrue(e.getMessage().contains("suite 'stable'"), e.getMessage());
    assertTrue(e.getMessage().contains("Suite 'rigtest'"), e.getMessage());
    assertTrue(e.getMessage().contains("correct the suite name"), e.getMessage());
  }

  @Test
  void acceptsASuiteNamedByItsCodename(@TempDir Path copy) throws IOException {
    Path root = copyOf(repo, copy);
    Path release = root.resolve("dists/rigtest/Release");
    Files.writeString(
        release, Files.readString(release).replace("Suite: rigtest", "Suite: stable"));
    repo.resignRelease(release.getParent());
    assertEquals("stable", reader(root, "rigtest", now).release().suite().orElseThrow());
  }

  @Test
  void checksAFlatRepositoryWithoutASuite(@TempDir Path copy) throws IOException {
    Path root = copyOf(flat, copy);
    ReleaseFile release = reader(root, HermeticRepo.FLAT, now).release();
    assertTrue(release.suite().isEmpty() && release.codename().isEmpty(), release.toString());

    edit(flat, root, ".", "Valid-Until", now.minus(Duration.ofMinutes(1)));
    ReleaseRefusedException e =
        assertThrows(ReleaseRefusedException.class, reader(root, HermeticRepo.FLAT, now)::release);
    assertTrue(e.getMessage().contains("Valid-Until"), e.getMessage());
  }

  private static SuiteReader reader(Path root, String suite, Instant at) throws IOException {
    return new SuiteReader(
        new DirectoryFetcher(root),
        suite,
        Keyring.read(keyringFor(root)),
        Clock.fixed(at, ZoneOffset.UTC));
  }

  /** Copies keep their key next to them, as the repositories they came from do. */
  private static Path keyringFor(Path root) {
    return root.resolveSibling(root.getFileName() + ".key.gpg");
  }

  /** Sets (or adds) one date field of the Release in {@code releaseDir} and signs it again. */
  private static void edit(
      HermeticRepo origin, Path root, String releaseDir, String field, Instant value)
      throws IOException {
    Path release = root.resolve(releaseDir).resolve("Release");
    String text = Files.readString(release);
    String line = field + ": " + RELEASE_DATE.format(value);
    String edited =
        text.lines().anyMatch(l -> l.startsWith(field + ":"))
            ? text.replaceFirst("(?m)^" + field + ":.*$", line)
            : text.replaceFirst("(?m)^Date:.*$", "$0\n" + line);
    Files.writeString(release, edited);
    origin.resignRelease(release.getParent());
  }

  private static Path copyOf(HermeticRepo origin, Path target) throws IOException {
    Path root = Files.createDirectories(target.resolve("repo"));
    try (Stream<Path> files = Files.walk(origin.root())) {
      for (Path p : files.toList()) {
        Path t = root.resolve(origin.root().relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    Files.copy(origin.keyring(), keyringFor(root));
    return root;
  }
}
