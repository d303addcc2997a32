package dev.rig.build.home;

import dev.rig.build.event.BuildEvent;
import dev.rig.build.event.BuildListener;
import dev.rig.oci.io.AtomicFiles;
import dev.rig.oci.io.TempNames;
import dev.rig.spec.HomeSource;
import dev.rig.spec.ImageSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns an image's git home into a directory: the ref is pinned to a commit (through rig.lock), the
 * commit is checked out once into the cache ({@code home-git/COMMIT}, without {@code .git}, modes
 * made 0644/0755 as git records them), and the image gets that directory as its home. Later builds
 * of the same commit touch neither git nor the network.
 */
public final class GitHomes {
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
  private static final Duration GIT_TIMEOUT = Duration.ofMinutes(10);

  private final Path root;
  private final HomePins pins;
  private final BuildListener listener;
  private final Git git;

  public GitHomes(Path cacheDir, HomePins pins, BuildListener listener) {
    this.root = cacheDir.resolve("home-git");
    this.pins = pins;
    this.listener = listener;
    this.git = new Git(GIT_TIMEOUT);
  }

  /** {@code spec} with a git home replaced by its checkout; any other spec as it is. */
  public ImageSpec resolve(ImageSpec spec) throws IOException {
    if (spec.home().isEmpty() || !(spec.home().get() instanceof HomeSource.Git source)) {
      return spec;
    }
    long start = System.nanoTime();
    String commit =
        pins.pin(spec.name(), source.url(), source.ref(), () -> commitOf(source, spec.name()));
    Path checkout = root.resolve(commit);
    boolean cached = Files.isDirectory(checkout);
    if (!cached) {
      checkOut(source.location(), commit, checkout, spec.name());
    }
    listener.on(
        new BuildEvent.HomeCheckedOut(
            spec.name(),
            source.url(),
            commit,
            cached,
            Duration.ofNanos(System.nanoTime() - start)));
    Path dir = checkout;
    if (source.directory().isPresent()) {
      dir = inside(checkout, source.directory().get(), source, spec.name());
    }
    return spec.withHome(new HomeSource.Directory(dir));
  }

  /** The commit {@code source.ref()} names in the repository now. */
  String commitOf(HomeSource.Git source, String image) throws IOException {
    String ref = source.ref();
    if (COMMIT.matcher(ref).matches()) {
      return ref;
    }
    // Every ref, unfiltered: a pattern would hide an annotated tag's peeled line (TAG^{}).
    Git.Result listed = git.run(null, "ls-remote", "--", source.location());
    if (listed.exitCode() != 0) {
      throw new HomeException(
          "image '"
              + image
              + "': homeGit: cannot list "
              + source.url()
              + ": "
              + listed.lastLines()
              + " (check the URL and that git on this machine can reach it: git ls-remote "
              + source.location()
              + ")");
    }
    List<String> names =
        ref.equals("HEAD")
            ? List.of("HEAD")
            : List.of("refs/heads/" + ref, "refs/tags/" + ref + "^{}", "refs/tags/" + ref, ref);
    for (String wanted : names) {
      for (String line : listed.output().lines().toList()) {
        String[] parts = line.split("\t", 2);
        if (parts.length == 2 && parts[1].equals(wanted) && COMMIT.matcher(parts[0]).matches()) {
          return parts[0];
        }
      }
    }
    throw new HomeException(
        "image '"
            + image
            + "': homeGit: "
            + source.url()
            + " has no branch or tag '"
            + ref
            + "' (set ref to a branch, a tag, a full commit id or HEAD)");
  }

  private void checkOut(String url, String commit, Path target, String image) throws IOException {
    Files.createDirectories(root);
    Path temp = root.resolve(TempNames.prefix() + UUID.randomUUID());
    try {
      Files.createDirectories(temp);
      git.run(temp, "init", "-q").orThrow("git init");
      // A shallow fetch of the one commit; servers that refuse fetching by id get a full fetch.
      Git.Result shallow = git.run(temp, "fetch", "-q", "--depth", "1", "--", url, commit);
      if (shallow.exitCode() != 0) {
        Git.Result full = git.run(temp, "fetch", "-q", "--", url);
        if (full.exitCode() != 0) {
          throw new HomeException(
              "image '" + image + "': homeGit: cannot fetch " + url + ": " + full.lastLines());
        }
      }
      Git.Result checkout =
          git.run(
              temp,
              "-c",
              "core.autocrlf=false",
              "-c",
              "core.symlinks=true",
              "-c",
              "advice.detachedHead=false",
              "checkout",
              "-q",
              commit,
              "--");
      if (checkout.exitCode() != 0) {
        throw new HomeException(
            "image '"
                + image
                + "': homeGit: "
                + url
                + " has no commit "
                + commit
                + ": "
                + checkout.lastLines()
                + " (was it force-pushed away? run `rig lock "
                + image
                + "` to pin the ref again)");
      }
      String head = git.run(temp, "rev-parse", "HEAD").orThrow("git rev-parse").output().strip();
      if (!head.equals(commit)) {
        throw new HomeException(
            "image '" + image + "': homeGit: checked out " + head + ", expected " + commit);
      }
      deleteTree(temp.resolve(".git"));
      normalizeModes(temp);
      // False when another build checked out the same commit first; its copy is as good as ours.
      AtomicFiles.commitDirectory(temp, target);
    } finally {
      if (Files.exists(temp, LinkOption.NOFOLLOW_LINKS)) {
        deleteTree(temp);
      }
    }
  }

  private static Path inside(Path checkout, String directory, HomeSource.Git source, String image)
      throws IOException {
    Path dir = checkout.resolve(directory).normalize();
    if (!dir.startsWith(checkout) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new HomeException(
          "image '"
              + image
              + "': homeGit: "
              + source.url()
              + " at "
              + source.ref()
              + " has no directory '"
              + directory
              + "' (set directory to a directory of the repository, or leave it out for the top)");
    }
    return dir;
  }

  /**
   * Git records only whether a file is executable; the checkout's modes follow the umask. Setting
   * them as git records them makes the layer the same on every build host.
   */
  private static void normalizeModes(Path dir) throws IOException {
    Set<PosixFilePermission> plain = PosixFilePermissions.fromString("rw-r--r--");
    Set<PosixFilePermission> exec = PosixFilePermissions.fromString("rwxr-xr-x");
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(dir)) {
      paths = walk.toList();
    }
    for (Path p : paths) {
      if (Files.isSymbolicLink(p)) {
        continue;
      }
      if (Files.isDirectory(p)) {
        Files.setPosixFilePermissions(p, exec);
      } else {
        boolean x = Files.getPosixFilePermissions(p).contains(PosixFilePermission.OWNER_EXECUTE);
        Files.setPosixFilePermissions(p, x ? exec : plain);
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(dir)) {
      paths = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
    }
    for (Path p : paths) {
      Files.deleteIfExists(p);
    }
  }
}
