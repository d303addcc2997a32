package dev.rig.build.sbom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.testkit.SbomConformance;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Both documents of an image with every kind of content: each conforms to its specification, every
 * purl parses, every package has a checksum, and the bytes depend on the image alone.
 */
class SbomDocumentTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  private static Sbom sbom(String digest) {
    ImageInventory inventory =
        new ImageInventory(
            Optional.of(new Distro("debian", "13")),
            List.of(
                new DebianPackage(
                    "libc6",
                    "2.41-12",
                    "amd64",
                    "glibc",
                    "2.41-12",
                    Optional.of("11".repeat(32)),
                    Optional.of("http://127.0.0.1:1/debian/pool/main/g/glibc/libc6.deb"),
                    new SpdxLicense(Optional.of("LGPL-2.1-or-later"), Map.of())),
                new DebianPackage(
                    "tzdata",
                    "2025b-4+deb13u1",
                    "all",
                    "tzdata",
                    "2025b-4+deb13u1",
                    Optional.of("22".repeat(32)),
                    Optional.empty(),
                    new SpdxLicense(
                        Optional.of("LicenseRef-public-domain"),
                        Map.of("LicenseRef-public-domain", "public-domain\nNo rights."))),
                new DebianPackage(
                    "openssl",
                    "3.5.1-1",
                    "amd64",
                    "openssl",
                    "3.5.1-1",
                    Optional.of("33".repeat(32)),
                    Optional.empty(),
                    SpdxLicense.NOASSERTION)),
            Optional.of("127.0.0.1:5000/base@sha256:" + "cd".repeat(32)),
            List.of(
                new BaseLayer(
                    1,
                    "sha256:" + "ef".repeat(32),
                    "sha256:" + "12".repeat(32),
                    99,
                    Optional.of("127.0.0.1:5000/base"))),
            List.of(
                new ImageFile(
                    "/opt/app/run.sh", "aa".repeat(20), "bb".repeat(32), 12, "copyToRoot"),
                new ImageFile("/root/.bashrc", "cc".repeat(20), "dd".repeat(32), 34, "home")),
            List.of(
                new RuntimeComponent(
                    "rig-init",
                    "dev",
                    "/usr/lib/rig/rig-init.jar",
                    Optional.of("44".repeat(32)),
                    ""),
                new RuntimeComponent(
                    "rig-init-java",
                    "21.0.8+9-1",
                    "/usr/lib/rig/java",
                    Optional.empty(),
                    "openjdk-21-jdk-headless=21.0.8+9-1")),
            List.of(
                new PythonWheel(
                    "Requests_OAuth", "2.0.0", "/opt/venv", Optional.of("55".repeat(32)))));
    return new Sbom(
        new SbomSubject(
            "app", "1.0", digest, "linux", "amd64", Instant.ofEpochSecond(1_700_000_000)),
        inventory);
  }

  @Test
  void spdxHasEveryRequiredFieldAndEachPackageAPurlAndChecksum() throws Exception {
    JsonNode doc = JSON.readTree(sbom(DIGEST).spdxJson());
    assertEquals(List.of(), SbomConformance.spdxProblems(doc));
    assertEquals("2023-11-14T22:13:20Z", doc.at("/creationInfo/created").asText());
    for (String purl : SbomConformance.purls(doc)) {
      assertEquals(purl, Purl.parse(purl).toString(), "canonical purl");
    }
    assertTrue(
        SbomConformance.purls(doc)
            .contains("pkg:deb/debian/libc6@2.41-12?arch=amd64&distro=debian-13"));
    assertTrue(SbomConformance.purls(doc).contains("pkg:pypi/requests-oauth@2.0.0"));
    for (JsonNode p : doc.path("packages")) {
      if (p.path("SPDXID").asText().startsWith("SPDXRef-deb-")) {
        assertEquals("SHA256", p.at("/checksums/0/algorithm").asText(), p.toString());
      }
    }
    assertEquals(
        "built from source package glibc 2.41-12",
        doc.at("/packages/1/sourceInfo").asText(),
        "the image comes first, then the packages by name");
  }

  @Test
  void cycloneDxHasEveryRequiredFieldAndADerivedSerialNumber() throws Exception {
    JsonNode bom = JSON.readTree(sbom(DIGEST).cycloneDxJson());
    assertEquals(List.of(), SbomConformance.cycloneDxProblems(bom));
    for (String purl : SbomConformance.purls(bom)) {
      assertEquals(purl, Purl.parse(purl).toString());
    }
    for (JsonNode c : bom.path("components")) {
      if (c.path("type").asText().equals("library")) {
        assertEquals("SHA-256", c.at("/hashes/0/alg").asText(), c.toString());
        assertTrue(c.has("purl"), c.toString());
      }
    }
    assertEquals(
        "pkg:oci/app@sha256%3A" + "ab".repeat(32) + "?tag=1.0",
        bom.at("/metadata/component/purl").asText());
  }

  @Test
  void theBytesAreAFunctionOfTheImageAlone() {
    assertArrayEquals(sbom(DIGEST).spdxJson(), sbom(DIGEST).spdxJson());
    assertArrayEquals(sbom(DIGEST).cycloneDxJson(), sbom(DIGEST).cycloneDxJson());
    String other = "sha256:" + "ac".repeat(32);
    assertNotEquals(sbom(DIGEST).uuid(SbomFormat.SPDX), sbom(other).uuid(SbomFormat.SPDX));
    assertNotEquals(sbom(DIGEST).uuid(SbomFormat.CYCLONEDX), sbom(DIGEST).uuid(SbomFormat.SPDX));
    assertEquals(5, sbom(DIGEST).uuid(SbomFormat.CYCLONEDX).version());
  }
}
