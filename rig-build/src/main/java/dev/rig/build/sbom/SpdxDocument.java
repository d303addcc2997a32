package dev.rig.build.sbom;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An image's SBOM as an SPDX 2.3 JSON document: the image as the described package, which CONTAINS
 * each Debian package, base layer, runtime part and wheel, and each file rig copied in.
 */
final class SpdxDocument {
  private static final String IMAGE_ID = "SPDXRef-Image";
  private static final String NOASSERTION = "NOASSERTION";

  private SpdxDocument() {}

  static byte[] write(Sbom sbom) {
    SbomSubject subject = sbom.subject();
    ImageInventory inventory = sbom.inventory();
    ObjectNode root = SbomJson.object();
    root.put("spdxVersion", "SPDX-2.3");
    root.put("dataLicense", "CC0-1.0");
    root.put("SPDXID", "SPDXRef-DOCUMENT");
    root.put("name", subject.reference());
    root.put(
        "documentNamespace",
        "https://spdx.org/spdxdocs/rig/"
            + Purl.encode(subject.name())
            + "-"
            + sbom.uuid(SbomFormat.SPDX));
    ObjectNode creation = root.putObject("creationInfo");
    creation.put("created", SbomJson.time(subject.created()));
    creation.putArray("creators").add("Tool: rig-" + Sbom.toolVersion());
    root.putArray("documentDescribes").add(IMAGE_ID);

    ArrayNode packages = root.putArray("packages");
    ArrayNode relationships = SbomJson.MAPPER.createArrayNode();
    relate(relationships, "SPDXRef-DOCUMENT", "DESCRIBES", IMAGE_ID);
    image(packages.addObject(), subject);

    Set<String> ids = new LinkedHashSet<>();
    Map<String, String> licenceTexts = new TreeMap<>();
    for (DebianPackage p : inventory.packages()) {
      String id = unique(ids, "SPDXRef-deb-" + p.name() + "-" + p.architecture());
      ObjectNode node = packages.addObject();
      node.put("SPDXID", id);
      node.put("name", p.name());
      node.put("versionInfo", p.version());
      node.put("supplier", "Organization: " + supplier(inventory));
      node.put("downloadLocation", p.downloadLocation().orElse(NOASSERTION));
      node.put("filesAnalyzed", false);
      p.sha256().ifPresent(sha -> checksum(node.putArray("checksums"), "SHA256", sha));
      node.put("sourceInfo", "built from source package " + p.source() + " " + p.sourceVersion());
      node.put("licenseConcluded", NOASSERTION);
      node.put("licenseDeclared", p.license().spdx());
      node.put("copyrightText", NOASSERTION);
      purl(node, p.purl(inventory.distro().orElse(Distro.UNKNOWN_DEBIAN)));
      p.license().references().forEach(licenceTexts::putIfAbsent);
      relate(relationships, IMAGE_ID, "CONTAINS", id);
    }
    for (BaseLayer layer : inventory.baseLayers()) {
      String id = unique(ids, "SPDXRef-BaseLayer-" + layer.index());
      ObjectNode node = packages.addObject();
      node.put("SPDXID", id);
      node.put("name", "base layer " + layer.index());
      node.put("versionInfo", layer.diffId());
      node.put("downloadLocation", NOASSERTION);
      node.put("filesAnalyzed", false);
      checksum(node.putArray("checksums"), "SHA256", hex(layer.digest()));
      node.put("primaryPackagePurpose", "ARCHIVE");
      node.put(
          "comment",
          "layer "
              + layer.digest()
              + " ("
              + layer.size()
              + " bytes) of the base image "
              + layer.origin().orElse("(not named)"));
      node.put("licenseConcluded", NOASSERTION);
      node.put("licenseDeclared", NOASSERTION);
      node.put("copyrightText", NOASSERTION);
      relate(relationships, IMAGE_ID, "CONTAINS", id);
    }
    for (RuntimeComponent part : inventory.runtime()) {
      String id = unique(ids, "SPDXRef-Runtime-" + part.name());
      ObjectNode node = packages.addObject();
      node.put("SPDXID", id);
      node.put("name", part.name());
      node.put("versionInfo", part.version());
      node.put("supplier", "Tool: rig-" + Sbom.toolVersion());
      node.put("downloadLocation", "NONE");
      node.put("filesAnalyzed", false);
      part.sha256().ifPresent(sha -> checksum(node.putArray("checksums"), "SHA256", sha));
      node.put("primaryPackagePurpose", "APPLICATION");
      node.put(
          "comment",
          "at "
              + part.path()
              + (part.builtFrom().isEmpty() ? "" : "; linked from " + part.builtFrom()));
      node.put("licenseConcluded", NOASSERTION);
      node.put("licenseDeclared", NOASSERTION);
      node.put("copyrightText", NOASSERTION);
      relate(relationships, IMAGE_ID, "CONTAINS", id);
    }
    for (PythonWheel wheel : inventory.wheels()) {
      String id = unique(ids, "SPDXRef-pypi-" + wheel.name() + "-" + wheel.version());
      ObjectNode node = packages.addObject();
      node.put("SPDXID", id);
      node.put("name", wheel.name());
      node.put("versionInfo", wheel.version());
      node.put("downloadLocation", NOASSERTION);
      node.put("filesAnalyzed", false);
      wheel.sha256().ifPresent(sha -> checksum(node.putArray("checksums"), "SHA256", sha));
      node.put("comment", "installed in " + wheel.environment());
      node.put("licenseConcluded", NOASSERTION);
      node.put("licenseDeclared", NOASSERTION);
      node.put("copyrightText", NOASSERTION);
      purl(node, wheel.purl());
      relate(relationships, IMAGE_ID, "CONTAINS", id);
    }
    if (!inventory.files().isEmpty()) {
      ArrayNode files = root.putArray("files");
      for (ImageFile file : inventory.files()) {
        String id = unique(ids, "SPDXRef-File-" + file.path());
        ObjectNode node = files.addObject();
        node.put("SPDXID", id);
        node.put("fileName", "." + file.path());
        ArrayNode sums = node.putArray("checksums");
        checksum(sums, "SHA1", file.sha1());
        checksum(sums, "SHA256", file.sha256());
        node.put("comment", "from " + file.origin() + " (" + file.size() + " bytes)");
        node.put("licenseConcluded", NOASSERTION);
        node.put("copyrightText", NOASSERTION);
        relate(relationships, IMAGE_ID, "CONTAINS", id);
      }
    }
    if (!licenceTexts.isEmpty()) {
      ArrayNode extracted = root.putArray("hasExtractedLicensingInfos");
      licenceTexts.forEach(
          (id, text) -> {
            ObjectNode node = extracted.addObject();
            node.put("licenseId", id);
            node.put("extractedText", text);
          });
    }
    root.set("relationships", relationships);
    return SbomJson.bytes(root);
  }

  private static void image(ObjectNode node, SbomSubject subject) {
    node.put("SPDXID", IMAGE_ID);
    node.put("name", subject.name());
    node.put("versionInfo", subject.digest());
    node.put("downloadLocation", NOASSERTION);
    node.put("filesAnalyzed", false);
    checksum(node.putArray("checksums"), "SHA256", subject.digestHex());
    node.put("primaryPackagePurpose", "CONTAINER");
    node.put("builtDate", SbomJson.time(subject.created()));
    node.put(
        "comment",
        "OCI image "
            + subject.reference()
            + " for "
            + subject.os()
            + "/"
            + subject.architecture()
            + ", built by rig");
    node.put("licenseConcluded", NOASSERTION);
    node.put("licenseDeclared", NOASSERTION);
    node.put("copyrightText", NOASSERTION);
    purl(node, subject.purl());
  }

  private static String supplier(ImageInventory inventory) {
    String id = inventory.distro().orElse(Distro.UNKNOWN_DEBIAN).id();
    return switch (id) {
      case "debian" -> "Debian";
      case "ubuntu" -> "Ubuntu";
      default -> id;
    };
  }

  private static void purl(ObjectNode node, Purl purl) {
    ObjectNode ref = node.putArray("externalRefs").addObject();
    ref.put("referenceCategory", "PACKAGE-MANAGER");
    ref.put("referenceType", "purl");
    ref.put("referenceLocator", purl.toString());
  }

  private static void checksum(ArrayNode sums, String algorithm, String value) {
    ObjectNode sum = sums.addObject();
    sum.put("algorithm", algorithm);
    sum.put("checksumValue", value);
  }

  private static void relate(ArrayNode relationships, String from, String type, String to) {
    ObjectNode node = relationships.addObject();
    node.put("spdxElementId", from);
    node.put("relationshipType", type);
    node.put("relatedSpdxElement", to);
  }

  /**
   * An SPDX identifier ({@code SPDXRef-} then letters, digits, '.' and '-') from {@code wanted},
   * made unique within the document by a counter where two sanitise alike.
   */
  private static String unique(Set<String> taken, String wanted) {
    String id = wanted.replaceAll("[^A-Za-z0-9.-]", "-");
    String candidate = id;
    for (int n = 2; !taken.add(candidate); n++) {
      candidate = id + "-" + n;
    }
    return candidate;
  }

  private static String hex(String digest) {
    return digest.substring(digest.indexOf(':') + 1);
  }
}
