package dev.rig.apt.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.apt.version.Relation;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ControlParserTest {
  static final String PACKAGES =
      """
      Package: libc6
      Source: glibc (2.36-9+deb12u4)
      Version: 2.36-9+deb12u4
      Installed-Size: 12986
      Architecture: amd64
      Multi-Arch: same
      Priority: optional
      Depends: libgcc-s1
      Recommends: libidn2-0 (>= 2.0.5~)
      Breaks: aide (<< 0.17.3-4+b3), busybox (<< 1.30.1-6),
       chrony (<< 4.2-3~), fakechroot (<< 2.19-3.5)
      Description: GNU C Library: Shared libraries
       Contains the standard libraries.
       .
       Second paragraph.
      Filename: pool/main/g/glibc/libc6_2.36-9+deb12u4_amd64.deb
      Size: 2757936
      SHA256: 6b6c5e3e4f6f3c0e2a4d0a4d8f6f3a5b0c4e1e7a8d1c2b3a4f5e6d7c8b9a0f1e

      package: mawk
      version: 1.3.4.20200120-3.1
      architecture: amd64
      multi-arch: foreign
      essential: yes
      priority: required
      pre-depends: libc6 (>= 2.29)
      provides: awk
      filename: pool/main/m/mawk/mawk_1.3.4.20200120-3.1_amd64.deb
      size: 123
      sha256: 00

      Package: libcrypt1
      Source: libxcrypt
      Version: 1:4.4.33-2
      Architecture: amd64
      Provides: libcrypt1-dev (= 1:4.4.33-2), libfoo:any
      Depends: python3:any (>= 3.9), perl:native | perl-base
      Conflicts: libcrypt1-old
      Replaces: libc6 (<< 2.29-4)
      """;

  @Test
  void parsesStanzasContinuationsAndCaseInsensitiveNames() {
    List<Stanza> stanzas = ControlParser.parse("Packages", PACKAGES);
    assertEquals(3, stanzas.size());
    assertEquals(1, stanzas.get(0).line());
    assertEquals(20, stanzas.get(1).line());
    assertEquals("Packages:20", stanzas.get(1).where());
    assertEquals("mawk", stanzas.get(1).require("Package"));
    assertEquals("libc6", stanzas.get(0).require("PACKAGE"));
    assertEquals(
        "GNU C Library: Shared libraries\nContains the standard libraries.\n.\nSecond paragraph.",
        stanzas.get(0).require("description"));
    assertEquals(Optional.empty(), stanzas.get(0).get("Essential"));
  }

  @Test
  void readsPackageRecords() {
    List<PackageRecord> records = PackageRecord.parseIndex("Packages", PACKAGES);
    PackageRecord libc = records.get(0);
    assertEquals("glibc", libc.source());
    assertEquals("2.36-9+deb12u4", libc.sourceVersion().toString());
    assertEquals(MultiArch.SAME, libc.multiArch());
    assertEquals(4, libc.breaks().size(), "continuation lines join the Breaks list");
    assertEquals("fakechroot (<< 2.19-3.5)", libc.breaks().get(3).toString());
    assertEquals(12986, libc.installedSizeKib());
    assertEquals(2757936, libc.size());
    assertEquals("pool/main/g/glibc/libc6_2.36-9+deb12u4_amd64.deb", libc.filename());
    assertFalse(libc.essential());

    PackageRecord mawk = records.get(1);
    assertTrue(mawk.essential());
    assertEquals("required", mawk.priority());
    assertEquals(MultiArch.FOREIGN, mawk.multiArch());
    assertEquals("mawk", mawk.source());
    assertEquals("libc6 (>= 2.29)", mawk.preDepends().get(0).toString());
    assertEquals(List.of(PackageRef.of("awk")), mawk.provides());

    PackageRecord crypt = records.get(2);
    assertEquals(1, crypt.version().epoch());
    assertEquals("libxcrypt", crypt.source());
    assertEquals(crypt.version(), crypt.sourceVersion());
    assertEquals(Relation.EQUAL, crypt.provides().get(0).constraint().orElseThrow().relation());
    assertEquals(Optional.of("any"), crypt.provides().get(1).archQualifier());
    Dependency perl = crypt.depends().get(1);
    assertEquals(2, perl.alternatives().size());
    assertEquals(Optional.of("native"), perl.alternatives().get(0).archQualifier());
    assertEquals("python3:any (>= 3.9)", crypt.depends().get(0).toString());
    assertEquals("libcrypt1-old", crypt.conflicts().get(0).toString());
    assertEquals("libc6 (<< 2.29-4)", crypt.replaces().get(0).toString());
    assertEquals("libcrypt1=1:4.4.33-2", crypt.id());
  }

  @Test
  void parsesDependencyFields() {
    List<Dependency> deps = DependencyParser.parse("a (>=1.0) | b:any (<< 2~), c(=3) ,d, ");
    assertEquals(3, deps.size());
    assertEquals("a (>= 1.0) | b:any (<< 2~)", deps.get(0).toString());
    assertEquals("c (= 3)", deps.get(1).toString());
    assertEquals("d", deps.get(2).toString());
    assertEquals(List.of(), DependencyParser.parse(" "));
  }

  @Test
  void errorsNameFileAndLine() {
    ControlFileException noColon =
        assertThrows(
            ControlFileException.class, () -> ControlParser.parse("P", "Package: a\nbogus\n"));
    assertEquals("P:2: expected 'Field: value'", noColon.getMessage());
    ControlFileException repeated =
        assertThrows(
            ControlFileException.class, () -> ControlParser.parse("P", "Package: a\npackage: b\n"));
    assertTrue(repeated.getMessage().startsWith("P:2:"), repeated.getMessage());
    assertThrows(
        ControlFileException.class, () -> ControlParser.parse("P", " continued\nPackage: a\n"));
    ControlFileException missing =
        assertThrows(
            ControlFileException.class,
            () -> PackageRecord.parseIndex("P", "\n\nPackage: a\nArchitecture: all\n"));
    assertEquals("P:3: missing field Version", missing.getMessage());
    ControlFileException badDep =
        assertThrows(
            ControlFileException.class,
            () ->
                PackageRecord.parseIndex(
                    "P", "Package: a\nVersion: 1\nArchitecture: all\nDepends: b [amd64]\n"));
    assertTrue(badDep.getMessage().startsWith("P:1: cannot parse dependency"), badDep.getMessage());
  }
}
