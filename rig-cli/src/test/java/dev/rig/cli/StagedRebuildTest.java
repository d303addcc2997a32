package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.testkit.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's GPU example installs in stages (rig's base, CUDA, python3), each cached by its own
 * inputs. Adding a package configures only its stage, and the image that comes out is the one a
 * clean build of the new spec and lock makes; two clean builds from two empty caches agree, down to
 * the bytes of the SBOM, which lists exactly the packages of rig.lock.
 */
class StagedRebuildTest {
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern INSTALL =
      Pattern.compile("\"phase\"\\s*:\\s*\"install\"[^}]*\"count\"\\s*:\\s*(\\d+)");
  private static final Pattern DOWNLOAD =
      Pattern.compile("\"phase\"\\s*:\\s*\"download\"[^}]*\"count\"\\s*:\\s*(\\d+)");

  @TempDir Path dir;

  @Test
  void addingAPackageConfiguresOnlyItsStageAndGivesTheCleanBuildsDigest() throws Exception {
    Tools.require("bwrap", "bubblewrap");
    Path example = Path.of("..", "examples", "gpu", "rig.pkl").toAbsolutePath().normalize();
    String text = Files.readString(example);
    String withPython = "packages { \"python3\" }";
    assertTrue(text.contains(withPython), "the example's packages line moved: " + example);
    Path project = Files.createDirectories(dir.resolve("gpu"));
    Path spec = project.resolve("rig.pkl");
    Files.writeString(spec, text);

    Path cacheA = dir.resolve("cache-a");
    seed(RigRun.sharedCache(), cacheA);
    String first = digest(build(cacheA, spec));

    Files.writeString(spec, text.replace(withPython, "packages { \"python3\" \"htop\" }"));
    RigRun staged = build(cacheA, spec);
    String rebuilt = digest(staged);
    assertTrue(!rebuilt.equals(first), "adding htop changed nothing: " + staged.describe());
    // htop and what it needs, not the ~200 packages of the stages below.
    int configured = configured(staged);
    assertTrue(configured > 0 && configured < 10, "dpkg configured " + configured + " packages");
    // Planning the new lock's stages reads the kept control of every locked .deb: only htop's own
    // .debs are verified and opened, not the 1.6 GB of the ~190 locked ones again.
    int verified = count(DOWNLOAD, staged);
    assertTrue(verified > 0 && verified < 10, ".debs verified: " + verified);
    // The re-resolve read the parsed indexes the first build kept.
    try (Stream<Path> indexes = Files.list(cacheA.resolve("indexes"))) {
      assertTrue(indexes.anyMatch(f -> f.toString().endsWith(".parsed")), "no parsed index kept");
    }

    Path cacheB = dir.resolve("cache-b");
    Path cacheC = dir.resolve("cache-c");
    seed(cacheA, cacheB);
    seed(cacheA, cacheC);
    String cleanB = digest(build(cacheB, spec));
    Path out = dir.resolve("out");
    // Both clean builds write to one layout: the first one's SBOM is kept aside to compare.
    Path firstSbom = Files.createDirectories(dir.resolve("first/sbom"));
    for (String file : List.of("gpu.spdx.json", "gpu.cdx.json")) {
      Files.copy(out.resolve("sbom").resolve(file), firstSbom.resolve(file));
    }
    String cleanC = digest(build(cacheC, spec));
    assertEquals(cleanB, cleanC, "two clean builds of the same spec and rig.lock");
    // The GPU example's SBOM lists exactly its rig.lock's packages, the same bytes both times.
    SbomAssertions.listsExactlyTheLockedPackages(out, "gpu", project.resolve("rig.lock"));
    SbomAssertions.sameBytes(firstSbom.getParent(), out, "gpu");
    assertEquals(cleanB, rebuilt, "the staged rebuild and a clean build");
  }

  private RigRun build(Path cache, Path spec) {
    return RigRun.withCache(
            cache,
            List.of("build", "-f", spec.toString(), "--json", "--out", "oci:" + dir.resolve("out")))
        .ok();
  }

  /** The .debs only (hard links): the install, layers and everything else start empty. */
  private static void seed(Path from, Path to) throws IOException {
    Path debs = from.resolve("debs");
    Files.createDirectories(to.resolve("debs"));
    if (!Files.isDirectory(debs)) {
      return;
    }
    try (Stream<Path> files = Files.walk(debs)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path target = to.resolve("debs").resolve(debs.relativize(file).toString());
        Files.createDirectories(target.getParent());
        Files.createLink(target, file);
      }
    }
  }

  private static String digest(RigRun run) {
    Matcher m = DIGEST.matcher(run.stdout());
    assertTrue(m.find(), run.describe());
    return m.group();
  }

  private static int configured(RigRun run) {
    return count(INSTALL, run);
  }

  /** The count of the first phase {@code pattern} matches. */
  private static int count(Pattern pattern, RigRun run) {
    Matcher m = pattern.matcher(run.stdout());
    assertTrue(m.find(), "no such phase (" + pattern + ") in " + run.stdout());
    return Integer.parseInt(m.group(1));
  }
}
