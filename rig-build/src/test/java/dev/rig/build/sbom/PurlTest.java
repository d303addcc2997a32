package dev.rig.build.sbom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The purl writer gives the canonical form and the parser reads it back, refusing bad ones. */
class PurlTest {
  @Test
  void debianPurlWithEpochAndPlusRoundTrips() {
    Purl purl =
        Purl.of("deb", "debian", "libc6", "1:2.41-12+deb13u1")
            .withQualifier("distro", "debian-13")
            .withQualifier("arch", "amd64");
    assertEquals(
        "pkg:deb/debian/libc6@1%3A2.41-12%2Bdeb13u1?arch=amd64&distro=debian-13", purl.toString());
    assertEquals(purl, Purl.parse(purl.toString()));
    assertEquals("1:2.41-12+deb13u1", Purl.parse(purl.toString()).version());
  }

  @Test
  void readsTheSpecificationsExamples() {
    for (String text :
        List.of(
            "pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie",
            "pkg:pypi/django@1.11.1",
            "pkg:docker/cassandra@sha256:244fd47e07d1004f0aed9c",
            "pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?packaging=sources",
            "pkg:github/package-url/purl-spec@244fd47e07d1004f0aed9c#everybody/loves/dogs",
            "pkg:oci/debian@sha256%3A244fd47e07d10?repository_url=docker.io/library/debian",
            "pkg://deb/debian/curl")) {
      Purl purl = Purl.parse(text);
      assertEquals(purl, Purl.parse(purl.toString()), text);
    }
    assertEquals("maven", Purl.parse("PKG:Maven/org.apache/commons@1").type());
  }

  @Test
  void refusesWhatTheSpecificationForbids() {
    for (String bad :
        List.of(
            "deb/debian/curl@1",
            "pkg:deb",
            "pkg:/debian",
            "pkg:1deb/debian/curl",
            "pkg:deb/debian/curl@",
            "pkg:deb/debian/curl?arch",
            "pkg:deb/debian/curl?arch=a&arch=b",
            "pkg:deb/debian/curl@1 2",
            "pkg:deb/debian/curl@1%zz",
            "pkg:deb/debian/curl#a/../b",
            "pkg:deb/debian/curl?1a=b")) {
      assertThrows(IllegalArgumentException.class, () -> Purl.parse(bad), bad);
    }
  }
}
