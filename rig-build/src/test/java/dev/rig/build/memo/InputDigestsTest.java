package dev.rig.build.memo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.build.sbom.FileHashes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host files' digests and their stat cache. */
class InputDigestsTest {
  @TempDir Path dir;

  /**
   * A file whose stat fields are those remembered is not read again: a stat cache entry that lies
   * about the content is believed (which shows the file was not read) until any stat field moves.
   */
  @Test
  void aRememberedFileIsNotReadAgainUntilItsStatMoves() throws Exception {
    Path file = Files.writeString(dir.resolve("f"), "content\n");
    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    Path stats = dir.resolve("memo/input-stats");
    // Still inside the racy window (ctime is now): hashed, not remembered.
    InputDigests first = InputDigests.load(stats);
    String digest = first.digest(file);
    first.save();
    assertFalse(Files.exists(stats));

    Thread.sleep(2100);
    InputDigests second = InputDigests.load(stats);
    assertEquals(digest, second.digest(file));
    second.save();
    List<String> lines = Files.readAllLines(stats);
    assertEquals(2, lines.size(), lines.toString());

    // Forge the remembered content hash: the next load believes it.
    String forged = "0".repeat(64);
    String line = lines.get(1);
    Files.write(stats, List.of(lines.get(0), forged + line.substring(64)));
    assertNotEquals(digest, InputDigests.load(stats).digest(file));

    // The same bytes written again: ctime moves, so the file is read and the lie is gone.
    Files.writeString(file, "content\n");
    assertEquals(digest, InputDigests.load(stats).digest(file));
  }

  /** One cache serves every project: what it remembers of files that are gone is dropped. */
  @Test
  void theStatCacheForgetsFilesThatAreGone() throws Exception {
    Path kept = Files.writeString(dir.resolve("kept"), "k\n");
    Path gone = Files.writeString(dir.resolve("gone"), "g\n");
    Path stats = dir.resolve("memo/input-stats");
    Thread.sleep(2100);
    InputDigests first = InputDigests.load(stats);
    first.digest(kept);
    first.digest(gone);
    first.save();
    assertEquals(3, Files.readAllLines(stats).size());

    Files.delete(gone);
    Path added = Files.writeString(dir.resolve("added"), "a\n");
    Thread.sleep(2100);
    InputDigests second = InputDigests.load(stats);
    second.digest(added);
    second.save();
    List<String> lines = Files.readAllLines(stats);
    assertEquals(3, lines.size(), lines.toString());
    assertTrue(
        lines.stream().anyMatch(l -> l.endsWith("\t" + kept.toAbsolutePath())), lines.toString());
    assertFalse(
        lines.stream().anyMatch(l -> l.endsWith("\t" + gone.toAbsolutePath())), lines.toString());
  }

  /**
   * The SBOM's hashes of a copied file come from the same stat cache: one read of the file serves
   * the memo and the SBOM, and a rebuild reads it for neither.
   */
  @Test
  void theSbomsHashesAreRememberedWithTheMemosDigest() throws Exception {
    Path file = Files.writeString(dir.resolve("weights.bin"), "w".repeat(1000));
    Path stats = dir.resolve("memo/input-stats");
    Thread.sleep(2100);
    InputDigests first = InputDigests.load(stats);
    first.digest(file);
    first.save();
    List<String> lines = Files.readAllLines(stats);
    String[] fields = lines.get(1).split("\t", 5);
    FileHashes.Hashes real = FileHashes.READING.of(file);
    assertEquals(List.of(real.sha256(), real.sha1(), "1000"), List.of(fields).subList(0, 3));

    // Forge the remembered SHA-1: the next run's SBOM believes it, so it did not read the file.
    String forged = "1".repeat(40);
    Files.write(
        stats,
        List.of(
            lines.get(0), String.join("\t", fields[0], forged, fields[2], fields[3], fields[4])));
    FileHashes.Hashes remembered = InputDigests.load(stats).of(file);
    assertEquals(new FileHashes.Hashes(forged, real.sha256(), 1000), remembered);
  }

  @Test
  void aDirectoryDigestCoversNamesModesLinksAndContent() throws Exception {
    Path tree = Files.createDirectories(dir.resolve("tree/sub"));
    Files.writeString(tree.resolve("a"), "a\n");
    InputDigests digests = InputDigests.load(dir.resolve("stats"));
    String before = digests.digest(dir.resolve("tree"));
    Files.createSymbolicLink(tree.resolve("link"), Path.of("a"));
    String linked = digests.digest(dir.resolve("tree"));
    assertNotEquals(before, linked);
    Files.delete(tree.resolve("link"));
    Files.createSymbolicLink(tree.resolve("link"), Path.of("b"));
    assertNotEquals(linked, digests.digest(dir.resolve("tree")));
    Files.delete(tree.resolve("link"));
    assertEquals(before, digests.digest(dir.resolve("tree")));
    Files.move(tree.resolve("a"), tree.resolve("b"));
    assertNotEquals(before, digests.digest(dir.resolve("tree")));
    assertEquals("absent", digests.digest(dir.resolve("missing")));
  }
}
