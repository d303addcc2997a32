package dev.rig.build.memo;

import dev.rig.build.sbom.FileHashes;
import dev.rig.oci.digest.Digest;
import dev.rig.oci.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Content digests of the host files and directories an image reads, with a stat cache like git's
 * index: a file whose device, inode, size, mode, mtime and ctime are those seen when it was last
 * hashed is not read again. ctime cannot be set from user space, so an edit that restores the size
 * and mtime is still seen.
 *
 * <p>A file changed within the last {@link #RACY_NANOS} is hashed but not remembered: it may change
 * again within the clock's resolution without any stat field moving.
 */
public final class InputDigests implements FileHashes {
  /** 2: each line holds the file's SHA-1 too (the SBOM lists it), so one read serves both. */
  private static final String FORMAT = "rig-input-stats/2";

  private static final long RACY_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final String STAT_ATTRIBUTES =
      "unix:dev,ino,size,mode,uid,gid,lastModifiedTime,ctime";

  private final Path file;
  private final Map<String, Known> known;
  private volatile boolean changed;

  /** What a file's stat fields were when it hashed to these. */
  private record Known(String stat, Hashes hashes) {}

  private InputDigests(Path file, Map<String, Known> known) {
    this.file = file;
    this.known = known;
  }

  /** The stat cache kept in {@code file}; an unreadable or foreign one starts empty. */
  public static InputDigests load(Path file) {
    // Concurrent: the SBOM asks from the build's worker threads, the memo from the main one.
    Map<String, Known> known = new ConcurrentHashMap<>();
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (!lines.isEmpty() && lines.get(0).equals(FORMAT)) {
        // Each line: sha256, tab, sha1, tab, size, tab, stat fields, tab, path (last, so that it
        // may hold tabs).
        for (String line : lines.subList(1, lines.size())) {
          String[] parts = line.split("\t", 5);
          if (parts.length == 5) {
            known.put(
                parts[4],
                new Known(parts[3], new Hashes(parts[1], parts[0], Long.parseLong(parts[2]))));
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // A missing or damaged stat cache only costs a re-hash.
      known.clear();
    }
    return new InputDigests(file, known);
  }

  /**
   * A digest of what {@code path} holds, as a build reads it: a symlink at {@code path} itself is
   * followed (as a copy of it is), one inside a directory is taken as a link; a directory is its
   * entries' names, types, modes, owners and contents. A missing path has a digest too.
   */
  public String digest(Path path) throws IOException {
    MessageDigest tree = Digest.newSha256();
    Map<String, Object> root;
    try {
      root = Files.readAttributes(path, STAT_ATTRIBUTES);
    } catch (NoSuchFileException e) {
      return "absent";
    }
    add(tree, path, "", root);
    return Digest.ofHash(tree.digest()).hex();
  }

  private void add(MessageDigest tree, Path path, String name, Map<String, Object> stat)
      throws IOException {
    int mode = (Integer) stat.get("mode");
    String line = name + "\0" + mode + " " + stat.get("uid") + " " + stat.get("gid") + " ";
    int type = mode & 0170000;
    if (type == 0100000) {
      line += "file " + stat.get("size") + " " + fileSha256(path, stat);
    } else if (type == 0120000) {
      line += "link " + Files.readSymbolicLink(path);
    } else if (type == 0040000) {
      line += "dir";
    } else {
      line += "special";
    }
    tree.update((line + "\n").getBytes(StandardCharsets.UTF_8));
    if (type == 0040000) {
      List<Path> children = new ArrayList<>();
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
        entries.forEach(children::add);
      }
      children.sort(null);
      for (Path child : children) {
        String childName = (name.isEmpty() ? "" : name + "/") + child.getFileName();
        add(
            tree,
            child,
            childName,
            Files.readAttributes(child, STAT_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS));
      }
    }
  }

  /**
   * The SBOM's hashes of {@code file} (symlinks followed, as a copy reads it), from the stat cache
   * when its stat fields are those it was hashed with.
   */
  @Override
  public Hashes of(Path file) throws IOException {
    return fileHashes(file, Files.readAttributes(file, STAT_ATTRIBUTES));
  }

  private String fileSha256(Path path, Map<String, Object> stat) throws IOException {
    return fileHashes(path, stat).sha256();
  }

  private Hashes fileHashes(Path path, Map<String, Object> stat) throws IOException {
    String key = path.toAbsolutePath().normalize().toString();
    String fields =
        stat.get("dev")
            + " "
            + stat.get("ino")
            + " "
            + stat.get("size")
            + " "
            + stat.get("mode")
            + " "
            + nanos(stat.get("lastModifiedTime"))
            + " "
            + nanos(stat.get("ctime"));
    Optional<Known> seen = Optional.ofNullable(known.get(key));
    if (seen.isPresent() && seen.get().stat().equals(fields)) {
      return seen.get().hashes();
    }
    Hashes hashes;
    try (InputStream in = Files.newInputStream(path)) {
      hashes = FileHashes.read(in);
    }
    long changedAt = Math.max(nanos(stat.get("lastModifiedTime")), nanos(stat.get("ctime")));
    boolean racy = nowNanos() - changedAt < RACY_NANOS;
    if (!racy && key.indexOf('\n') < 0) {
      known.put(key, new Known(fields, hashes));
      changed = true;
    } else if (seen.isPresent()) {
      known.remove(key);
      changed = true;
    }
    return hashes;
  }

  /**
   * Writes the stat cache back (temp name, then rename) when a digest was added, without the files
   * that are gone since they were hashed: one cache serves every project built with it, and entries
   * of deleted files would otherwise pile up in it for ever.
   */
  public void save() throws IOException {
    if (!changed) {
      return;
    }
    known.keySet().removeIf(path -> !exists(path));
    StringBuilder text = new StringBuilder(FORMAT).append('\n');
    known.forEach(
        (path, seen) ->
            text.append(seen.hashes().sha256())
                .append('\t')
                .append(seen.hashes().sha1())
                .append('\t')
                .append(seen.hashes().size())
                .append('\t')
                .append(seen.stat())
                .append('\t')
                .append(path)
                .append('\n'));
    Files.createDirectories(file.getParent());
    AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    changed = false;
  }

  private static boolean exists(String path) {
    try {
      return Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS);
    } catch (InvalidPathException e) {
      return false;
    }
  }

  private static long nanos(Object time) {
    return ((FileTime) time).to(TimeUnit.NANOSECONDS);
  }

  private static long nowNanos() {
    return TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
  }
}
