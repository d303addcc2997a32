package dev.rig.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.build.sbom.Purl;
import dev.rig.testkit.SbomConformance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the end-to-end tests check of a package image's SBOM, as rig wrote it beside the image: both
 * documents conform, every purl parses, every Debian package has its .deb's checksum, and the
 * packages are exactly those rig.lock lists for the image.
 */
final class SbomAssertions {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SbomAssertions() {}

  /**
   * @return the SPDX document, for more checks
   */
  static JsonNode listsExactlyTheLockedPackages(Path layout, String image, Path rigLock)
      throws IOException {
    JsonNode spdx = JSON.readTree(layout.resolve("sbom/" + image + ".spdx.json").toFile());
    JsonNode cdx = JSON.readTree(layout.resolve("sbom/" + image + ".cdx.json").toFile());
    assertEquals(List.of(), SbomConformance.spdxProblems(spdx), "SPDX 2.3");
    assertEquals(List.of(), SbomConformance.cycloneDxProblems(cdx), "CycloneDX 1.6");
    for (JsonNode doc : List.of(spdx, cdx)) {
      for (String purl : SbomConformance.purls(doc)) {
        assertEquals(purl, Purl.parse(purl).toString(), "a canonical purl");
      }
    }
    Set<String> locked = new TreeSet<>();
    for (JsonNode p : JSON.readTree(rigLock.toFile()).path("images").path(image).path("packages")) {
      locked.add(
          p.path("name").asText()
              + " "
              + p.path("version").asText()
              + " "
              + p.path("architecture").asText()
              + " "
              + p.path("sha256").asText());
    }
    assertTrue(locked.size() > 10, "rig.lock lists the image's packages: " + locked);
    Set<String> listed = new TreeSet<>();
    int licensed = 0;
    for (JsonNode p : spdx.path("packages")) {
      if (!p.path("SPDXID").asText().startsWith("SPDXRef-deb-")) {
        continue;
      }
      JsonNode purl = p.at("/externalRefs/0/referenceLocator");
      Purl parsed = Purl.parse(purl.asText());
      assertEquals("deb", parsed.type(), purl.asText());
      assertEquals("debian", parsed.namespace(), purl.asText());
      assertTrue(parsed.qualifiers().get("distro").startsWith("debian-"), purl.asText());
      assertEquals("SHA256", p.at("/checksums/0/algorithm").asText(), "checksum of " + p);
      listed.add(
          p.path("name").asText()
              + " "
              + p.path("versionInfo").asText()
              + " "
              + parsed.qualifiers().get("arch")
              + " "
              + p.at("/checksums/0/checksumValue").asText());
      licensed += p.path("licenseDeclared").asText().equals("NOASSERTION") ? 0 : 1;
    }
    assertEquals(locked, listed, "the SBOM's packages and rig.lock's");
    // Nearly every Debian package has a machine-readable copyright file by now.
    assertTrue(licensed * 2 > listed.size(), licensed + " of " + listed.size() + " licensed");
    return spdx;
  }

  /** Two layouts of the same build hold the same SBOM bytes, in both formats. */
  static void sameBytes(Path layoutA, Path layoutB, String image) throws IOException {
    for (String suffix : List.of(".spdx.json", ".cdx.json")) {
      assertArrayEquals(
          Files.readAllBytes(layoutA.resolve("sbom/" + image + suffix)),
          Files.readAllBytes(layoutB.resolve("sbom/" + image + suffix)),
          image + suffix + " of two builds");
    }
  }
}
