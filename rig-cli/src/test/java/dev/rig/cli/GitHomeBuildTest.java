package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.oci.image.ImageLayer;
import dev.rig.oci.layout.OciLayoutReader;
import dev.rig.testkit.Exec;
import dev.rig.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code homeGit}: a dotfiles repository checked out into /root, its ref pinned in rig.lock so that
 * a moving branch changes nothing until {@code rig lock}.
 */
class GitHomeBuildTest {
  @TempDir Path dir;

  private String git(String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-C", dir.resolve("dots").toString()));
    command.addAll(List.of(args));
    return Exec.run(command).ok().stdout().strip();
  }

  private String commitAll(String message) {
    git("add", "-A");
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", message);
    return git("rev-parse", "HEAD");
  }

  private String build() {
    return RigRun.withCache(
            dir.resolve("cache"),
            List.of(
                "build",
                "-f",
                dir.resolve("rig.pkl").toString(),
                "--out",
                "oci:" + dir.resolve("out")))
        .ok()
        .stdout()
        .strip();
  }

  /** Every path of every layer, with its mode column, as GNU tar lists them. */
  private String listing() throws Exception {
    StringBuilder all = new StringBuilder();
    for (ImageLayer layer :
        OciLayoutReader.open(dir.resolve("out")).image("dots:latest").layers()) {
      Path blob = dir.resolve("out/blobs/sha256").resolve(layer.blob().digest().hex());
      all.append(Exec.run(List.of("tar", "-tvzf", blob.toString())).ok().stdout());
    }
    return all.toString();
  }

  @Test
  void aDotfilesRepositoryLandsInRootAndItsCommitIsLocked() throws Exception {
    Tools.require("git", "git");
    Path repo = dir.resolve("dots");
    Exec.run(List.of("git", "init", "-q", "-b", "main", repo.toString())).ok();
    Files.createDirectories(repo.resolve("dots/home/alice/bin"));
    Files.writeString(repo.resolve("dots/home/alice/.bash_aliases"), "alias gs='git status'\n");
    Files.writeString(repo.resolve("dots/home/alice/bin/hi"), "#!/bin/sh\necho hi\n");
    repo.resolve("dots/home/alice/bin/hi").toFile().setExecutable(true);
    Files.writeString(repo.resolve("README"), "not in the image\n");
    String first = commitAll("first");
    Files.writeString(
        dir.resolve("rig.pkl"),
        "amends \"modulepath:/rig/Project.pkl\"\n\nimages {\n  [\"dots\"] {\n"
            + "    homeGit { url = \"dots\"; ref = \"main\"; directory = \"dots\" }\n  }\n}\n");

    String digest = build();
    String listing = listing();
    assertTrue(listing.contains("root/.bash_aliases"), listing);
    assertTrue(
        listing.lines().anyMatch(l -> l.startsWith("-rwxr-xr-x") && l.endsWith("root/bin/hi")),
        listing);
    assertTrue(!listing.contains("README") && !listing.contains(".git/"), listing);
    String lock = Files.readString(dir.resolve("rig.lock"));
    assertTrue(lock.contains("\"commit\" : \"" + first + "\""), lock);
    assertTrue(lock.contains("\"url\" : \"dots\""), "the lock keeps the URL as written: " + lock);

    // The branch moves; the locked commit holds until `rig lock`.
    Files.writeString(repo.resolve("dots/home/alice/.inputrc"), "set bell-style none\n");
    String second = commitAll("second");
    assertEquals(digest, build(), "a moved branch changes nothing while rig.lock pins it");
    RigRun.withCache(dir.resolve("cache"), List.of("lock", "-f", dir.resolve("rig.pkl").toString()))
        .ok();
    assertTrue(Files.readString(dir.resolve("rig.lock")).contains(second));
    assertNotEquals(digest, build());
    assertTrue(listing().contains("root/.inputrc"));
  }
}
