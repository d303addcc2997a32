package dev.rig.apt.testrepo;

import dev.rig.testkit.Exec;
import dev.rig.testkit.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A signed apt repository built by the real Debian tools (dpkg-deb, apt-ftparchive, gpg), as in
 * TESTING.md "A hermetic signed apt repository". Layout: {@code pool/main/*.deb}, {@code
 * dists/SUITE/main/binary-amd64/Packages{,.gz,.xz}}, {@code Release}, {@code Release.gpg}, {@code
 * InRelease}; plus {@code key.gpg} / {@code key.asc} (the signing key) and {@code wrong-key.gpg}
 * (an unrelated key).
 */
public record HermeticRepo(
    Path root, String suite, Path keyring, Path armoredKey, Path wrongKeyring) {

  /** One tiny binary package: control fields beyond Package/Version/Architecture. */
  public record Deb(String name, String version, String arch, Map<String, String> fields) {
    public static Deb of(String name, String version, String arch, String... kv) {
      Map<String, String> f = new LinkedHashMap<>();
      for (int i = 0; i < kv.length; i += 2) {
        f.put(kv[i], kv[i + 1]);
      }
      return new Deb(name, version, arch, f);
    }
  }

  public static HermeticRepo build(Path dir, String suite, List<Deb> debs) throws IOException {
    Tools.require("dpkg-deb", "dpkg");
    Tools.require("apt-ftparchive", "apt-utils");
    Tools.require("gpg", "gnupg");
    Tools.require("xz", "xz-utils");
    Path root = Files.createDirectories(dir.resolve("repo"));
    Path pool = Files.createDirectories(root.resolve("pool/main"));
    Path work = Files.createDirectories(dir.resolve("work"));
    for (Deb deb : debs) {
      Path pkg = work.resolve(deb.name() + "_" + deb.version().replace(':', '%'));
      Files.createDirectories(pkg.resolve("DEBIAN"));
      Files.createDirectories(pkg.resolve("usr/share/doc/" + deb.name()));
      Files.writeString(pkg.resolve("usr/share/doc/" + deb.name() + "/README"), deb.name() + "\n");
      StringBuilder control = new StringBuilder();
      control.append("Package: ").append(deb.name()).append('\n');
      control.append("Version: ").append(deb.version()).append('\n');
      control.append("Architecture: ").append(deb.arch()).append('\n');
      control.append("Maintainer: rig tests <tests@rig.invalid>\n");
      deb.fields().forEach((k, v) -> control.append(k).append(": ").append(v).append('\n'));
      control.append("Description: test package ").append(deb.name()).append('\n');
      Files.writeString(pkg.resolve("DEBIAN/control"), control);
      String file = deb.name() + "_" + deb.version().replace(':', '%') + "_" + deb.arch() + ".deb";
      run(
          dir,
          List.of(
              "dpkg-deb",
              "--root-owner-group",
              "--build",
              pkg.toString(),
              pool.resolve(file).toString()));
    }
    Path binary = Files.createDirectories(root.resolve("dists/" + suite + "/main/binary-amd64"));
    String packages = run(root, List.of("apt-ftparchive", "packages", "pool")).stdout();
    Files.writeString(binary.resolve("Packages"), packages);
    run(binary, List.of("xz", "-k", "Packages"));
    run(binary, List.of("gzip", "-k", "-n", "Packages"));
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
    Path home = newGnupgHome(dir.resolve("gnupg"), "rig test repo");
    Map<String, String> env = Map.of("GNUPGHOME", home.toString());
    try {
      gpg(env, dists, "--clearsign", "-o", "InRelease", "Release");
      gpg(env, dists, "--detach-sign", "-o", "Release.gpg", "Release");
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

  /** The repository's Packages text, to tamper with or to compare. */
  public Path packagesFile() {
    return root.resolve("dists/" + suite + "/main/binary-amd64/Packages");
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
    return Exec.run(cmd, Map.of("LC_ALL", "C"), dir, Duration.ofMinutes(1)).ok();
  }
}
