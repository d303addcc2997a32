package dev.rig.build.home;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.build.TestSpecs;
import dev.rig.build.event.BuildEvent;
import dev.rig.spec.CudaSpec;
import dev.rig.spec.EnvironmentSpec;
import dev.rig.spec.HomeSource;
import dev.rig.spec.ImageSpec;
import dev.rig.testkit.Exec;
import dev.rig.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Git homes against a real repository made with the machine's git. */
class GitHomesTest {
  @TempDir Path dir;
  private Path repo;
  private final List<BuildEvent> events = new ArrayList<>();

  @BeforeEach
  void makeRepository() throws Exception {
    Tools.require("git", "git");
    repo = dir.resolve("dotfiles");
    git(dir, "init", "-q", "-b", "main", repo.toString());
    Files.writeString(repo.resolve(".bash_aliases"), "alias gpu='nvidia-smi'\n");
    Files.createDirectories(repo.resolve("bin"));
    Files.writeString(repo.resolve("bin/hello"), "#!/bin/sh\necho hello\n");
    Files.setPosixFilePermissions(
        repo.resolve("bin/hello"), PosixFilePermissions.fromString("rwxrwx---"));
    Files.setPosixFilePermissions(
        repo.resolve(".bash_aliases"), PosixFilePermissions.fromString("rw-rw----"));
    Files.createDirectories(repo.resolve("home/alice"));
    Files.writeString(repo.resolve("home/alice/.vimrc"), "set nu\n");
    Files.createSymbolicLink(repo.resolve(".vimrc"), Path.of("home/alice/.vimrc"));
    git(repo, "add", "-A");
    commit("first");
    git(repo, "tag", "-a", "-m", "v1", "v1");
  }

  private String git(Path in, String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-C", in.toString()));
    command.addAll(List.of(args));
    return Exec.run(command).ok().stdout().strip();
  }

  private String commit(String message) {
    git(
        repo,
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.invalid",
        "commit",
        "-q",
        "-m",
        message);
    return git(repo, "rev-parse", "HEAD");
  }

  private static ImageSpec spec(HomeSource home) {
    return TestSpecs.image(
            Map.of(),
            TestSpecs.packages(List.of(), List.of(), EnvironmentSpec.DEFAULT),
            CudaSpec.DEFAULT,
            Optional.empty())
        .withHome(home);
  }

  private HomeSource.Git source(String ref, String directory) {
    return new HomeSource.Git("dotfiles", ref, Optional.ofNullable(directory), repo.toString());
  }

  private GitHomes homes(HomePins pins) {
    return new GitHomes(dir.resolve("cache"), pins, events::add);
  }

  private static Path checkout(ImageSpec resolved) {
    return ((HomeSource.Directory) resolved.home().orElseThrow()).path();
  }

  @Test
  void aBranchIsCheckedOutOnceWithoutGitAndWithGitsModes() throws Exception {
    String first = git(repo, "rev-parse", "HEAD");
    Path out = checkout(homes(HomePins.NONE).resolve(spec(source("main", null))));

    assertEquals(dir.resolve("cache/home-git/" + first), out);
    assertFalse(Files.exists(out.resolve(".git")), "the checkout has no .git");
    assertEquals("alias gpu='nvidia-smi'\n", Files.readString(out.resolve(".bash_aliases")));
    assertEquals(
        "rw-r--r--",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve(".bash_aliases"))));
    assertEquals(
        "rwxr-xr-x",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("bin/hello"))));
    assertEquals(Path.of("home/alice/.vimrc"), Files.readSymbolicLink(out.resolve(".vimrc")));
    assertFalse(((BuildEvent.HomeCheckedOut) events.get(0)).cached());

    homes(HomePins.NONE).resolve(spec(source("main", null)));
    assertTrue(
        ((BuildEvent.HomeCheckedOut) events.get(1)).cached(), "the second use is the cache's");
    try (var left = Files.list(dir.resolve("cache/home-git"))) {
      assertEquals(List.of(out), left.toList(), "no temporary directory is left behind");
    }
  }

  @Test
  void tagsHeadCommitIdsAndDirectories() throws Exception {
    String first = git(repo, "rev-parse", "HEAD");
    Files.writeString(repo.resolve("second"), "2\n");
    git(repo, "add", "-A");
    String second = commit("second");
    GitHomes homes = homes(HomePins.NONE);

    assertEquals(first, checkout(homes.resolve(spec(source("v1", null)))).getFileName().toString());
    assertEquals(
        second, checkout(homes.resolve(spec(source("HEAD", null)))).getFileName().toString());
    assertEquals(
        first, checkout(homes.resolve(spec(source(first, null)))).getFileName().toString());
    Path alice = checkout(homes.resolve(spec(source("main", "home/alice"))));
    assertEquals(dir.resolve("cache/home-git/" + second + "/home/alice"), alice);
  }

  @Test
  void aLockedCommitHoldsWhileTheBranchMoves() throws Exception {
    String first = git(repo, "rev-parse", "HEAD");
    Map<String, String> lock = new java.util.HashMap<>();
    HomePins pins =
        (image, url, ref, resolve) ->
            lock.computeIfAbsent(
                image + url + ref,
                k -> {
                  try {
                    return resolve.resolve();
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                });
    homes(pins).resolve(spec(source("main", null)));
    Files.writeString(repo.resolve("later"), "x\n");
    git(repo, "add", "-A");
    commit("later");
    Path out = checkout(homes(pins).resolve(spec(source("main", null))));
    assertEquals(first, out.getFileName().toString());
    assertFalse(Files.exists(out.resolve("later")));
  }

  @Test
  void errorsSayWhatAndHowToFix() throws Exception {
    GitHomes homes = homes(HomePins.NONE);
    HomeException noRef =
        assertThrows(HomeException.class, () -> homes.resolve(spec(source("nope", null))));
    assertTrue(noRef.getMessage().contains("has no branch or tag 'nope'"), noRef.getMessage());
    HomeException noDir =
        assertThrows(HomeException.class, () -> homes.resolve(spec(source("main", "missing"))));
    assertTrue(noDir.getMessage().contains("has no directory 'missing'"), noDir.getMessage());
    HomeException escape =
        assertThrows(HomeException.class, () -> homes.resolve(spec(source("main", "../.."))));
    assertTrue(escape.getMessage().contains("has no directory"), escape.getMessage());
    HomeException noRepo =
        assertThrows(
            HomeException.class,
            () ->
                homes.resolve(
                    spec(
                        new HomeSource.Git(
                            "x", "main", Optional.empty(), dir.resolve("absent").toString()))));
    assertTrue(noRepo.getMessage().contains("cannot list"), noRepo.getMessage());
    HomeException gone =
        assertThrows(
            HomeException.class,
            () ->
                homes((image, url, ref, resolve) -> "0123456789012345678901234567890123456789")
                    .resolve(spec(source("main", null))));
    assertTrue(gone.getMessage().contains("rig lock"), gone.getMessage());
  }
}
