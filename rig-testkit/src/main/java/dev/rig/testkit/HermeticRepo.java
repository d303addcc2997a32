package dev.rig.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A signed apt repository built by the real Debian tools (dpkg-deb, apt-ftparchive, gpg), as in
 * TESTING.md "A hermetic signed apt repository". Two layouts:
 *
 * <ul>
 *   <li>a suite ({@link #build}): {@code pool/main/*.deb}, {@code
 *       dists/SUITE/main/binary-amd64/Packages{,.gz,.xz}}, {@code dists/SUITE/Release}, {@code
 *       Release.gpg}, {@code InRelease}; read as {@code deb URI SUITE main};
 *   <li>a flat repository ({@link #buildFlat}), as NVIDIA's CUDA repository is: the .debs, {@code
 *       Packages{,.gz,.xz}}, {@code Release}, {@code Release.gpg} and {@code InRelease} all at the
 *       root, {@code Filename: ./NAME.deb}, a Release without Suite, Codename or Components; read
 *       as {@code deb URI /} (suite {@code "/"}, no component).
 * </ul>
 *
 * Next to {@code root} lie {@code key.gpg} / {@code key.asc} (the signing key) and {@code
 * wrong-key.gpg} (an unrelated key).
 */
public record HermeticRepo(
    Path root, String suite, Path keyring, Path armoredKey, Path wrongKeyring) {

  /** The suite of a flat repository: the repository root itself. */
  public static final String FLAT = "/";

  /**
   * One file a package installs: a regular file (content and mode) or, with {@code linkTarget} set,
   * a symbolic link. {@code path} is absolute, as in the image.
   */
  public record DebFile(String path, byte[] content, int mode, String linkTarget) {
    public DebFile {
      if (!path.startsWith("/") || path.contains("..")) {
        throw new IllegalArgumentException("not an absolute, plain path: " + path);
      }
      content = content == null ? null : content.clone();
    }

    public static DebFile file(String path, byte[] content, int mode) {
      return new DebFile(path, content, mode, null);
    }

    public static DebFile file(String path, String text) {
      return file(path, text.getBytes(StandardCharsets.UTF_8), 0644);
    }

    public static DebFile symlink(String path, String target) {
      return new DebFile(path, null, 0777, target);
    }

    public boolean isSymlink() {
      return linkTarget != null;
    }
  }

  /**
   * One tiny binary package: control fields beyond Package/Version/Architecture (Depends, Provides,
   * Multi-Arch, ...), the files it installs besides its {@code /usr/share/doc/NAME/README}, and
   * more control-archive members by name ({@code postinst}, {@code triggers}, ...).
   */
  public record Deb(
      String name,
      String version,
      String arch,
      Map<String, String> fields,
      List<DebFile> files,
      Map<String, String> controlFiles) {
    public Deb {
      fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
      files = List.copyOf(files);
      controlFiles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(controlFiles));
    }

    public Deb(String name, String version, String arch, Map<String, String> fields) {
      this(name, version, arch, fields, List.of(), Map.of());
    }

    public static Deb of(String name, String version, String arch, String... kv) {
      Map<String, String> f = new LinkedHashMap<>();
      for (int i = 0; i < kv.length; i += 2) {
        f.put(kv[i], kv[i + 1]);
      }
      return new Deb(name, version, arch, f);
    }

    /** This package with {@code more} files. */
    public Deb with(DebFile... more) {
      List<DebFile> all = new ArrayList<>(files);
      all.addAll(List.of(more));
      return new Deb(name, version, arch, fields, all, controlFiles);
    }

    /**
     * This package with a control-archive member: a maintainer script ({@code postinst}, {@code
     * prerm}, ...; made executable) or a {@code triggers}, {@code conffiles} file.
     */
    public Deb withControlFile(String member, String text) {
      Map<String, String> all = new LinkedHashMap<>(controlFiles);
      all.put(member, text);
      return new Deb(name, version, arch, fields, files, all);
    }

    /** The .deb's file name, as the Debian tools name it. */
    public String fileName() {
      return name + "_" + version.replace(':', '%') + "_" + arch + ".deb";
    }
  }

  /** A repository with one suite, {@code dists/SUITE}, and the component {@code main}. */
  public static HermeticRepo build(Path dir, String suite, List<Deb> debs) throws IOException {
    if (suite.endsWith("/")) {
      throw new IllegalArgumentException("a suite ending in '/' is flat: use buildFlat");
    }
    requireTools();
    Path root = Files.createDirectories(dir.resolve("repo"));
    Path pool = Files.createDirectories(root.resolve("pool/main"));
    buildDebs(dir, pool, debs);
    return index(dir, root, suite);
  }

  /**
   * A repository with one suite serving .deb files that already exist (real Debian packages, for a
   * local mirror of an image's locked set), signed with a throwaway key like {@link #build}.
   */
  public static HermeticRepo ofDebFiles(Path dir, String suite, List<Path> debs)
      throws IOException {
    if (suite.endsWith("/")) {
      throw new IllegalArgumentException("a suite ending in '/' is flat");
    }
    requireTools();
    Path root = Files.createDirectories(dir.resolve("repo"));
    Path pool = Files.createDirectories(root.resolve("pool/main"));
    for (Path deb : debs) {
      Files.copy(deb, pool.resolve(deb.getFileName()));
    }
    return index(dir, root, suite);
  }

  private static HermeticRepo index(Path dir, Path root, String suite) throws IOException {
    Path binary = Files.createDirectories(root.resolve("dists/" + suite + "/main/binary-amd64"));
    writePackages(root, "pool", binary);
    Path dists = root.resolve("dists/" + suite);
    String release =
        run(
                root,
                List.of(
                    "apt-ftparchive",
                    "-o",
                    "APT::FTPArchive::Release::Suite=" + suite,
                    "-o",
                    "APT::FTPArchive::Release::Codename=" + suite,
                    "-o",
                    "APT::FTPArchive::Release::Architectures=amd64",
                    "-o",
                    "APT::FTPArchive::Release::Components=main",
                    "release",
                    "dists/" + suite))
            .stdout();
    Files.writeString(dists.resolve("Release"), release);
    return sign(dir, root, dists, suite);
  }

  /**
   * A flat repository like NVIDIA's CUDA repository: everything at the root, which is both the
   * repository URI and its only "suite" ({@code deb [signed-by=KEY] file:ROOT /}).
   */
  public static HermeticRepo buildFlat(Path dir, List<Deb> debs) throws IOException {
    requireTools();
    Path root = Files.createDirectories(dir.resolve("repo"));
    buildDebs(dir, root, debs);
    writePackages(root, ".", root);
    String release =
        run(
                root,
                List.of(
                    "apt-ftparchive",
                    "-o",
                    "APT::FTPArchive::Release::Origin=rig tests",
                    "-o",
                    "APT::FTPArchive::Release::Label=rig tests flat repository",
                    "-o",
                    "APT::FTPArchive::Release::Architectures=amd64",
                    "release",
                    "."))
            .stdout();
    Files.writeString(root.resolve("Release"), release);
    return sign(dir, root, root, FLAT);
  }

  /** Whether the repository is flat (suite {@code "/"}). */
  public boolean flat() {
    return suite.endsWith("/");
  }

  /** The directory that holds Release and InRelease. */
  public Path releaseDir() {
    return flat()
        ? root.resolve(suite.substring(0, suite.length() - 1))
        : root.resolve("dists/" + suite);
  }

  /** The repository's Packages text, to tamper with or to compare. */
  public Path packagesFile() {
    return flat()
        ? releaseDir().resolve("Packages")
        : releaseDir().resolve("main/binary-amd64/Packages");
  }

  /**
   * Signs {@code releaseDir/Release} again with this repository's key, writing {@code InRelease}
   * and {@code Release.gpg}, after a test changed the Release fields ({@code Valid-Until}, {@code
   * Date}, {@code Suite}); {@code releaseDir} may lie in a copy of the repository.
   */
  public void resignRelease(Path releaseDir) {
    Map<String, String> env = Map.of("GNUPGHOME", root.getParent().resolve("gnupg").toString());
    try {
      gpg(env, releaseDir, "--clearsign", "-o", "InRelease", "Release");
      gpg(env, releaseDir, "--detach-sign", "-o", "Release.gpg", "Release");
    } finally {
      stopAgent(env);
    }
  }

  /** The repository as a {@code file:} URI (the form rig's specs and apt's sources take). */
  public String uri() {
    return root.toUri().toString();
  }

  private static void requireTools() {
    Tools.require("dpkg-deb", "dpkg");
    Tools.require("apt-ftparchive", "apt-utils");
    Tools.require("gpg", "gnupg");
    Tools.require("xz", "xz-utils");
  }

  private static void buildDebs(Path dir, Path out, List<Deb> debs) throws IOException {
    Path work = Files.createDirectories(dir.resolve("work"));
    for (Deb deb : debs) {
      Path pkg =
          work.resolve(deb.name() + "_" + deb.version().replace(':', '%') + "_" + deb.arch());
      Files.createDirectories(pkg.resolve("DEBIAN"));
      Files.createDirectories(pkg.resolve("usr/share/doc/" + deb.name()));
      Files.writeString(pkg.resolve("usr/share/doc/" + deb.name() + "/README"), deb.name() + "\n");
      for (DebFile file : deb.files()) {
        Path target = pkg.resolve(file.path().substring(1));
        Files.createDirectories(target.getParent());
        if (file.isSymlink()) {
          Files.createSymbolicLink(target, Path.of(file.linkTarget()));
        } else {
          Files.write(target, file.content());
          Files.setPosixFilePermissions(target, permissions(file.mode()));
        }
      }
      StringBuilder control = new StringBuilder();
      control.append("Package: ").append(deb.name()).append('\n');
      control.append("Version: ").append(deb.version()).append('\n');
      control.append("Architecture: ").append(deb.arch()).append('\n');
      control.append("Maintainer: rig tests <tests@rig.invalid>\n");
      deb.fields().forEach((k, v) -> control.append(k).append(": ").append(v).append('\n'));
      control.append("Description: test package ").append(deb.name()).append('\n');
      Files.writeString(pkg.resolve("DEBIAN/control"), control);
      for (Map.Entry<String, String> member : deb.controlFiles().entrySet()) {
        Path file = pkg.resolve("DEBIAN").resolve(member.getKey());
        Files.writeString(file, member.getValue());
        boolean script =
            Set.of("preinst", "postinst", "prerm", "postrm", "config").contains(member.getKey());
        Files.setPosixFilePermissions(file, permissions(script ? 0755 : 0644));
      }
      run(
          dir,
          List.of(
              "dpkg-deb",
              "--root-owner-group",
              "--build",
              pkg.toString(),
              out.resolve(deb.fileName()).toString()));
    }
  }

  /** Packages (and .xz, .gz) in {@code indexDir} for the .debs under {@code debs} of root. */
  private static void writePackages(Path root, String debs, Path indexDir) throws IOException {
    String packages = run(root, List.of("apt-ftparchive", "packages", debs)).stdout();
    Files.writeString(indexDir.resolve("Packages"), packages);
    run(indexDir, List.of("xz", "-k", "Packages"));
    run(indexDir, List.of("gzip", "-k", "-n", "Packages"));
  }

  private static HermeticRepo sign(Path dir, Path root, Path releaseDir, String suite)
      throws IOException {
    Path home = newGnupgHome(dir.resolve("gnupg"), "rig test repo");
    Map<String, String> env = Map.of("GNUPGHOME", home.toString());
    try {
      gpg(env, releaseDir, "--clearsign", "-o", "InRelease", "Release");
      gpg(env, releaseDir, "--detach-sign", "-o", "Release.gpg", "Release");
      Path keyring = dir.resolve("key.gpg");
      gpg(env, dir, "--output", keyring.toString(), "--export");
      Path armored = dir.resolve("key.asc");
      gpg(env, dir, "--armor", "--output", armored.toString(), "--export");
      Path wrongHome = newGnupgHome(dir.resolve("gnupg-wrong"), "someone else");
      Map<String, String> wrongEnv = Map.of("GNUPGHOME", wrongHome.toString());
      try {
        Path wrong = dir.resolve("wrong-key.gpg");
        gpg(wrongEnv, dir, "--output", wrong.toString(), "--export");
        return new HermeticRepo(root, suite, keyring, armored, wrong);
      } finally {
        stopAgent(wrongEnv);
      }
    } finally {
      stopAgent(env);
    }
  }

  /**
   * The long id (16 upper-case hex digits) of the primary key in a keyring file, as rig's signature
   * errors name keys.
   */
  public static String keyId(Path keyringFile) throws IOException {
    Path home = Files.createTempDirectory("rig-gnupg-");
    try {
      String out =
          Exec.run(
                  List.of(
                      "gpg",
                      "--batch",
                      "--no-autostart",
                      "--with-colons",
                      "--show-keys",
                      keyringFile.toString()),
                  Map.of("GNUPGHOME", home.toString(), "LC_ALL", "C"),
                  null,
                  Duration.ofMinutes(1))
              .ok()
              .stdout();
      return out.lines()
          .filter(l -> l.startsWith("pub:"))
          .map(l -> l.split(":")[4].toUpperCase(java.util.Locale.ROOT))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no key in " + keyringFile + ":\n" + out));
    } finally {
      Exec.run(List.of("rm", "-rf", home.toString()));
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = {
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
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << i)) != 0) {
        set.add(bits[i]);
      }
    }
    return set;
  }

  private static Path newGnupgHome(Path home, String name) throws IOException {
    Files.createDirectories(home);
    home.toFile().setReadable(false, false);
    home.toFile().setReadable(true, true);
    home.toFile().setExecutable(false, false);
    home.toFile().setExecutable(true, true);
    gpg(
        Map.of("GNUPGHOME", home.toString()),
        home,
        "--passphrase",
        "",
        "--quick-gen-key",
        name + " <test@rig.invalid>",
        "ed25519",
        "sign",
        "1d");
    return home;
  }

  private static Exec.Result gpg(Map<String, String> env, Path dir, String... args) {
    List<String> cmd =
        new ArrayList<>(List.of("gpg", "--batch", "--yes", "--pinentry-mode", "loopback"));
    cmd.addAll(List.of(args));
    return Exec.run(cmd, env, dir, Duration.ofMinutes(1)).ok();
  }

  /** gpg starts an agent per GNUPGHOME; stop ours so no process outlives the test. */
  private static void stopAgent(Map<String, String> env) {
    Exec.run(List.of("gpgconf", "--kill", "gpg-agent"), env, null, Duration.ofSeconds(30));
  }

  private static Exec.Result run(Path dir, List<String> cmd) {
    // A fixed SOURCE_DATE_EPOCH makes dpkg-deb's archives the same bytes on every run, so that
    // what rig caches by .deb hash (installed roots) is reused by the next run.
    return Exec.run(
            cmd,
            Map.of("LC_ALL", "C", "SOURCE_DATE_EPOCH", "1700000000"),
            dir,
            Duration.ofMinutes(1))
        .ok();
  }
}
