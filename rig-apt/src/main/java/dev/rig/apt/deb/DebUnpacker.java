package dev.rig.apt.deb;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.oci.io.AtomicFiles;
import dev.rig.oci.io.SingleFlight;
import dev.rig.oci.io.TempNames;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Unpacks a package's data archive into {@code CACHE/unpacked/SHA256/tree}, once per .deb. The work
 * happens in a temp directory that is renamed into place only when complete, so a crash never
 * leaves a half-unpacked package that a later build would trust. Every path is checked before
 * anything is written: no {@code ..}, no absolute names, no writing through a symlink the package
 * itself created, no hardlink to anything but an earlier regular file of the same package.
 */
public final class DebUnpacker {
  private static final String MANIFEST = "entries.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The cache's directory of unpacked trees, named by their .deb's SHA-256. */
  private static final String DIR = "unpacked";

  private final Path unpackedRoot;
  private final DataDecoder decoder;

  public DebUnpacker(Path cacheRoot) {
    this(cacheRoot, DataDecoder.IN_PROCESS);
  }

  /** An unpacker whose packages' data members {@code decoder} decompresses. */
  public DebUnpacker(Path cacheRoot, DataDecoder decoder) {
    this.unpackedRoot = cacheRoot.toAbsolutePath().normalize().resolve(DIR);
    this.decoder = decoder;
  }

  /** Where the cache at {@code cacheRoot} keeps the unpacked tree of the .deb with this SHA-256. */
  public static Path cachePath(Path cacheRoot, String sha256) {
    return cacheRoot.toAbsolutePath().normalize().resolve(DIR).resolve(sha256);
  }

  /** Unpacks (or reuses) a .deb, computing its SHA-256 first. */
  public UnpackedDeb unpack(Path deb) throws IOException {
    return unpack(deb, sha256(deb));
  }

  /**
   * Unpacks (or reuses) a .deb whose SHA-256 the caller has already verified (the downloader has).
   */
  public UnpackedDeb unpack(Path deb, String sha256) throws IOException {
    if (!sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("not a SHA-256 hex digest: " + sha256);
    }
    DebArchive archive = DebArchive.open(deb);
    Path dir = unpackedRoot.resolve(sha256);
    if (Files.isRegularFile(dir.resolve(MANIFEST))) {
      return load(archive, sha256, dir);
    }
    // Two unpackers of this process (an image's first stage and rig-init's Java tools share libc,
    // dpkg and the rest of the Essential set) unpack a .deb once: the second waits, then loads.
    return IN_FLIGHT.run(dir, () -> extractInto(archive, sha256, dir));
  }

  /** The unpacks under way in this process, by target directory. */
  private static final SingleFlight<Path> IN_FLIGHT = new SingleFlight<>();

  private UnpackedDeb extractInto(DebArchive archive, String sha256, Path dir) throws IOException {
    if (Files.isRegularFile(dir.resolve(MANIFEST))) {
      return load(archive, sha256, dir);
    }
    Files.createDirectories(unpackedRoot);
    Path temp =
        Files.createTempDirectory(unpackedRoot, TempNames.prefix() + sha256.substring(0, 12) + "-");
    try {
      Path tree = Files.createDirectory(temp.resolve("tree"));
      List<UnpackedEntry> entries = extract(archive, tree);
      JSON.writeValue(temp.resolve(MANIFEST).toFile(), entries);
      if (!AtomicFiles.commitDirectory(temp, dir)) {
        // Another build unpacked the same .deb first; its result is identical.
        deleteTree(temp);
      }
      return load(archive, sha256, dir);
    } catch (IOException | RuntimeException e) {
      deleteTree(temp);
      throw e;
    }
  }

  private static UnpackedDeb load(DebArchive archive, String sha256, Path dir) throws IOException {
    List<UnpackedEntry> entries =
        JSON.readValue(dir.resolve(MANIFEST).toFile(), new TypeReference<List<UnpackedEntry>>() {});
    return new UnpackedDeb(sha256, archive, dir.resolve("tree"), entries);
  }

  private List<UnpackedEntry> extract(DebArchive archive, Path tree) throws IOException {
    EntryChecker checker = new EntryChecker(archive.packageName() + " " + archive.version());
    List<UnpackedEntry> out = new ArrayList<>();
    Map<Path, Integer> dirModes = new HashMap<>();
    archive.forEachDataEntry(
        decoder,
        (e, in) -> {
          Optional<UnpackedEntry> checked = checker.check(e);
          if (checked.isEmpty()) {
            return;
          }
          UnpackedEntry entry = checked.get();
          Path host = tree.resolve(entry.path().substring(1)).normalize();
          if (!host.startsWith(tree) || host.equals(tree)) {
            throw new UnsafePackageException(
                "package "
                    + archive.packageName()
                    + ": data.tar entry '"
                    + e.name()
                    + "' escapes the root");
          }
          Files.createDirectories(host.getParent());
          switch (entry.type()) {
            case FILE -> {
              Files.copy(in, host);
              Files.setPosixFilePermissions(host, perms(e.mode() | 0600));
            }
            case DIRECTORY -> {
              Files.createDirectories(host);
              dirModes.put(host, e.mode());
            }
            case SYMLINK -> Files.createSymbolicLink(host, Path.of(entry.linkTarget()));
            case HARDLINK -> Files.createLink(host, tree.resolve(entry.linkTarget().substring(1)));
            case OTHER -> throw new IllegalStateException("refused by the checker");
          }
          out.add(entry);
        });
    // Directory modes last: a read-only directory must still receive its files first.
    for (Map.Entry<Path, Integer> d : dirModes.entrySet()) {
      Files.setPosixFilePermissions(d.getKey(), perms(d.getValue() | 0700));
    }
    return out;
  }

  private static Set<PosixFilePermission> perms(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE,
      PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE,
      PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int i = 0; i < order.length; i++) {
      if ((mode & (1 << i)) != 0) {
        set.add(order[i]);
      }
    }
    return set;
  }

  /** SHA-256 of a file, streamed. */
  public static String sha256(Path file) throws IOException {
    try (DigestInputStream in =
        new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(in.getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Removes a directory tree without following symlinks (they may point anywhere). */
  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
