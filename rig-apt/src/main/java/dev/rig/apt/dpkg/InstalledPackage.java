package dev.rig.apt.dpkg;

import dev.rig.apt.control.Stanza;
import dev.rig.apt.deb.DebArchive;
import dev.rig.apt.deb.ExcludeOptions;
import dev.rig.apt.deb.UnpackedDeb;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What dpkg records about one installed package: its control fields, the paths it owns, the md5sums
 * it shipped, its conffiles with their hashes, and the other control members (maintainer scripts,
 * triggers, shlibs) that dpkg keeps in {@code info/}.
 *
 * @param files absolute paths owned by the package, in install order
 * @param conffiles conffile path to the MD5 of its installed content
 * @param infoFiles control member name (e.g. {@code postinst}) to its bytes
 */
public record InstalledPackage(
    Stanza control,
    List<String> files,
    String md5sums,
    Map<String, String> conffiles,
    Map<String, byte[]> infoFiles) {

  public InstalledPackage {
    files = List.copyOf(files);
    conffiles = Collections.unmodifiableMap(new TreeMap<>(conffiles));
    Map<String, byte[]> copy = new TreeMap<>();
    infoFiles.forEach((k, v) -> copy.put(k, v.clone()));
    infoFiles = Collections.unmodifiableMap(copy);
  }

  /** The record of an unpacked package; conffile hashes come from the unpacked files. */
  public static InstalledPackage of(UnpackedDeb deb, ExcludeOptions excludes) throws IOException {
    DebArchive archive = deb.archive();
    Map<String, String> conffiles = new LinkedHashMap<>();
    for (String path : archive.conffiles()) {
      Path host = deb.hostPath(path);
      if (!Files.isRegularFile(host)) {
        throw new IOException(
            "package " + archive.packageName() + ": conffile " + path + " is not in its data");
      }
      conffiles.put(path, md5(host));
    }
    Map<String, byte[]> info = new LinkedHashMap<>(archive.controlMembers());
    info.remove("md5sums");
    info.remove("conffiles");
    return new InstalledPackage(
        archive.control(), deb.installedPaths(excludes), archive.md5sums(), conffiles, info);
  }

  public String name() {
    return control.require("Package").strip();
  }

  public String architecture() {
    return control.require("Architecture").strip();
  }

  /**
   * The name dpkg uses for the package's files in {@code info/}: Multi-Arch: same packages are
   * qualified with their architecture, since several may be installed.
   */
  public String infoName() {
    boolean same = control.get("Multi-Arch").map(v -> v.strip().equals("same")).orElse(false);
    return same ? name() + ":" + architecture() : name();
  }

  private static String md5(Path file) throws IOException {
    try (DigestInputStream in =
        new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("MD5"))) {
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(in.getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
