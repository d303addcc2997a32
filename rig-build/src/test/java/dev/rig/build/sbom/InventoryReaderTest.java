package dev.rig.build.sbom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.rig.build.TestSpecs;
import dev.rig.build.lock.ImageLock;
import dev.rig.build.lock.LockInput;
import dev.rig.build.lock.LockedPackage;
import dev.rig.build.lock.PackageOrigin;
import dev.rig.build.plan.PreparedCopy;
import dev.rig.build.plan.PreparedImage;
import dev.rig.build.runtime.RuntimeConfigs;
import dev.rig.build.runtime.RuntimeLayer;
import dev.rig.oci.layer.Content;
import dev.rig.oci.layer.LayerEntry;
import dev.rig.oci.layer.LayerInput;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The inventory is what the layers hold: dpkg's installed packages (not those only configured or
 * removed), their source packages, licences through linked doc directories, the distribution from a
 * linked os-release, and each .deb's hash from the lock.
 */
class InventoryReaderTest {
  private static final String STATUS =
      """
      Package: libc6
      Status: install ok installed
      Architecture: amd64
      Source: glibc
      Version: 2.41-12

      Package: libc-bin
      Status: install ok installed
      Architecture: amd64
      Source: glibc (2.41-12)
      Version: 2.41-12+b1

      Package: gone
      Status: deinstall ok config-files
      Architecture: all
      Version: 1.0
      """;
  private static final String COPYRIGHT =
      """
      Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/

      Files: *
      Copyright: 1991 Free Software Foundation
      License: LGPL-2.1+
      """;

  private static LayerEntry file(String path, String text) {
    return LayerEntry.file(
        path, Content.ofBytes(text.getBytes(StandardCharsets.UTF_8)), 0644, 0, 0);
  }

  @Test
  void readsInstalledPackagesLicencesAndDistroThroughLinks() throws Exception {
    LayerInput packages =
        new LayerInput(
            List.of(
                file("/usr/share/doc/libc6/copyright", COPYRIGHT),
                LayerEntry.symlink("/usr/share/doc/libc-bin", "libc6", 0, 0),
                file(
                    "/usr/lib/os-release",
                    "ID=debian\nVERSION_ID=\"13\"\nVERSION_CODENAME=trixie\n"),
                LayerEntry.symlink("/etc/os-release", "../usr/lib/os-release", 0, 0)),
            "packages");
    LayerInput config = new LayerInput(List.of(file("/var/lib/dpkg/status", STATUS)), "config");
    PackageOrigin origin = new PackageOrigin("http://127.0.0.1:1/debian", "trixie", "main");
    ImageLock lock =
        new ImageLock(
            new LockInput("amd64", List.of("libc-bin"), List.of(), false, true),
            List.of(
                new LockedPackage(
                    "libc6", "2.41-12", "amd64", "pool/main/g/glibc/libc6.deb", 1, "aa", origin),
                new LockedPackage(
                    "libc-bin",
                    "2.41-12+b1",
                    "amd64",
                    "pool/main/g/glibc/libc-bin.deb",
                    1,
                    "bb",
                    origin)),
            List.of());
    PreparedImage prepared =
        new PreparedImage(
            TestSpecs.withPackages("libc-bin"),
            0,
            List.of(packages, config),
            Optional.empty(),
            Optional.empty(),
            List.of(new PreparedCopy("/opt/a", List.of(file("/opt/a", "abc")))));

    ImageInventory inventory =
        InventoryReader.read(
            prepared,
            List.of(packages, config),
            Optional.of(lock),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            FileHashes.READING);

    assertEquals(Optional.of(new Distro("debian", "13")), inventory.distro());
    SpdxLicense lgpl = new SpdxLicense(Optional.of("LGPL-2.1-or-later"), Map.of());
    assertEquals(
        List.of(
            new DebianPackage(
                "libc-bin",
                "2.41-12+b1",
                "amd64",
                "glibc",
                "2.41-12",
                Optional.of("bb"),
                Optional.of("http://127.0.0.1:1/debian/pool/main/g/glibc/libc-bin.deb"),
                lgpl),
            new DebianPackage(
                "libc6",
                "2.41-12",
                "amd64",
                "glibc",
                "2.41-12",
                Optional.of("aa"),
                Optional.of("http://127.0.0.1:1/debian/pool/main/g/glibc/libc6.deb"),
                lgpl)),
        inventory.packages());
    assertEquals(
        "pkg:deb/debian/libc-bin@2.41-12%2Bb1?arch=amd64&distro=debian-13",
        inventory.packages().get(0).purl(inventory.distro().get()).toString());
    assertEquals(
        List.of(
            new ImageFile(
                "/opt/a",
                "a9993e364706816aba3e25717850c26c9cd0d89d",
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                3,
                "copyToRoot")),
        inventory.files());
  }

  /**
   * The runtime layer carries runtime.json and the encrypted secrets: the SBOM names rig-init's jar
   * only, never those files, their paths or their hashes.
   */
  @Test
  void listsRigInitButNoRuntimeConfigurationOrSecret() throws Exception {
    String secret = RuntimeConfigs.secretPath("token");
    LayerInput runtime =
        new LayerInput(
            List.of(
                file(RuntimeLayer.JAR, "jar"),
                file(RuntimeLayer.CONFIG, "{}"),
                file(secret, "age-encrypted")),
            "runtime");
    PreparedImage prepared =
        new PreparedImage(
            TestSpecs.withPackages("tini"),
            0,
            List.of(),
            Optional.of(runtime),
            Optional.empty(),
            List.of());
    ImageInventory inventory =
        InventoryReader.read(
            prepared,
            List.of(runtime),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            FileHashes.READING);
    assertEquals(
        List.of("rig-init"), inventory.runtime().stream().map(RuntimeComponent::name).toList());
    assertEquals(List.of(), inventory.files());
    Sbom sbom =
        new Sbom(
            new SbomSubject(
                "img", "1", "sha256:" + "00".repeat(32), "linux", "amd64", Instant.EPOCH),
            inventory);
    for (SbomFormat format : SbomFormat.values()) {
      String text = new String(sbom.bytes(format), StandardCharsets.UTF_8);
      assertFalse(text.contains("secrets"), text);
      assertFalse(text.contains("runtime.json"), text);
    }
  }
}
