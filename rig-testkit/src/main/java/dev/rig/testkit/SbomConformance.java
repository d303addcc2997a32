package dev.rig.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks SBOM documents against what their specifications require: for SPDX 2.3, the required and
 * allowed fields and the enumerations of its JSON schema (spdx-spec schemas/spdx-schema-2-3.json)
 * plus the rules the specification's text adds (the document namespace, identifier syntax, every
 * LicenseRef defined, relationships naming elements that exist); for CycloneDX 1.6, the required
 * fields and enumerations of its JSON schema. Each check answers a list of problems, empty when the
 * document conforms, so a failing test says everything that is wrong at once.
 */
public final class SbomConformance {
  private static final Pattern SPDX_ID = Pattern.compile("SPDXRef-[A-Za-z0-9.-]+");
  private static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
  private static final Pattern HEX = Pattern.compile("[0-9a-f]+");
  private static final Pattern LICENSE_REF = Pattern.compile("LicenseRef-[A-Za-z0-9.-]+");
  private static final Pattern UUID_URN =
      Pattern.compile(
          "urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

  private static final Set<String> DOCUMENT_FIELDS =
      Set.of(
          "SPDXID",
          "annotations",
          "comment",
          "creationInfo",
          "dataLicense",
          "externalDocumentRefs",
          "hasExtractedLicensingInfos",
          "name",
          "revieweds",
          "spdxVersion",
          "documentNamespace",
          "documentDescribes",
          "packages",
          "files",
          "snippets",
          "relationships");
  private static final Set<String> CREATION_FIELDS =
      Set.of("comment", "created", "creators", "licenseListVersion");
  private static final Set<String> PACKAGE_FIELDS =
      Set.of(
          "SPDXID",
          "annotations",
          "attributionTexts",
          "builtDate",
          "checksums",
          "comment",
          "copyrightText",
          "description",
          "downloadLocation",
          "externalRefs",
          "filesAnalyzed",
          "hasFiles",
          "homepage",
          "licenseComments",
          "licenseConcluded",
          "licenseDeclared",
          "licenseInfoFromFiles",
          "name",
          "originator",
          "packageFileName",
          "packageVerificationCode",
          "primaryPackagePurpose",
          "releaseDate",
          "sourceInfo",
          "summary",
          "supplier",
          "validUntilDate",
          "versionInfo");
  private static final Set<String> FILE_FIELDS =
      Set.of(
          "SPDXID",
          "annotations",
          "artifactOfs",
          "attributionTexts",
          "checksums",
          "comment",
          "copyrightText",
          "fileContributors",
          "fileDependencies",
          "fileName",
          "fileTypes",
          "licenseComments",
          "licenseConcluded",
          "licenseInfoInFiles",
          "noticeText");
  private static final Set<String> CHECKSUM_ALGORITHMS =
      Set.of(
          "SHA1",
          "BLAKE3",
          "SHA3-384",
          "SHA256",
          "SHA384",
          "BLAKE2b-512",
          "BLAKE2b-256",
          "SHA3-512",
          "MD2",
          "ADLER32",
          "MD4",
          "SHA3-256",
          "BLAKE2b-384",
          "SHA512",
          "MD6",
          "MD5",
          "SHA224");
  private static final Set<String> REFERENCE_CATEGORIES =
      Set.of("OTHER", "PERSISTENT-ID", "SECURITY", "PACKAGE-MANAGER");
  private static final Set<String> PURPOSES =
      Set.of(
          "OTHER",
          "INSTALL",
          "ARCHIVE",
          "FIRMWARE",
          "APPLICATION",
          "FRAMEWORK",
          "LIBRARY",
          "CONTAINER",
          "SOURCE",
          "DEVICE",
          "OPERATING_SYSTEM",
          "FILE");
  private static final Set<String> RELATIONSHIP_TYPES =
      Set.of(
          "VARIANT_OF",
          "COPY_OF",
          "PATCH_FOR",
          "TEST_DEPENDENCY_OF",
          "CONTAINED_BY",
          "DATA_FILE_OF",
          "OPTIONAL_COMPONENT_OF",
          "ANCESTOR_OF",
          "GENERATES",
          "CONTAINS",
          "OPTIONAL_DEPENDENCY_OF",
          "FILE_ADDED",
          "REQUIREMENT_DESCRIPTION_FOR",
          "DEV_DEPENDENCY_OF",
          "DEPENDENCY_OF",
          "BUILD_DEPENDENCY_OF",
          "DESCRIBES",
          "PREREQUISITE_FOR",
          "HAS_PREREQUISITE",
          "PROVIDED_DEPENDENCY_OF",
          "DYNAMIC_LINK",
          "DESCRIBED_BY",
          "METAFILE_OF",
          "DEPENDENCY_MANIFEST_OF",
          "PATCH_APPLIED",
          "RUNTIME_DEPENDENCY_OF",
          "TEST_OF",
          "TEST_TOOL_OF",
          "DEPENDS_ON",
          "SPECIFICATION_FOR",
          "FILE_MODIFIED",
          "DISTRIBUTION_ARTIFACT",
          "AMENDS",
          "DOCUMENTATION_OF",
          "GENERATED_FROM",
          "STATIC_LINK",
          "OTHER",
          "BUILD_TOOL_OF",
          "TEST_CASE_OF",
          "PACKAGE_OF",
          "DESCENDANT_OF",
          "FILE_DELETED",
          "EXPANDED_FROM_ARCHIVE",
          "DEV_TOOL_OF",
          "EXAMPLE_OF");
  private static final Set<String> CDX_COMPONENT_TYPES =
      Set.of(
          "application",
          "framework",
          "library",
          "container",
          "platform",
          "operating-system",
          "device",
          "device-driver",
          "firmware",
          "file",
          "machine-learning-model",
          "data",
          "cryptographic-asset");
  private static final Set<String> CDX_HASH_ALGORITHMS =
      Set.of(
          "MD5",
          "SHA-1",
          "SHA-256",
          "SHA-384",
          "SHA-512",
          "SHA3-256",
          "SHA3-384",
          "SHA3-512",
          "BLAKE2b-256",
          "BLAKE2b-384",
          "BLAKE2b-512",
          "BLAKE3");

  private SbomConformance() {}

  /** What an SPDX 2.3 JSON document lacks or has wrong; empty when it conforms. */
  public static List<String> spdxProblems(JsonNode doc) {
    List<String> problems = new ArrayList<>();
    fields(
        problems,
        "document",
        doc,
        DOCUMENT_FIELDS,
        "SPDXID",
        "creationInfo",
        "dataLicense",
        "name",
        "spdxVersion",
        "documentNamespace");
    equal(problems, "spdxVersion", doc.path("spdxVersion").asText(), "SPDX-2.3");
    equal(problems, "dataLicense", doc.path("dataLicense").asText(), "CC0-1.0");
    equal(problems, "SPDXID", doc.path("SPDXID").asText(), "SPDXRef-DOCUMENT");
    String namespace = doc.path("documentNamespace").asText();
    try {
      URI uri = new URI(namespace);
      if (!uri.isAbsolute() || namespace.contains("#")) {
        problems.add("documentNamespace '" + namespace + "' is not an absolute URI without '#'");
      }
    } catch (URISyntaxException e) {
      problems.add("documentNamespace '" + namespace + "' is not a URI: " + e.getMessage());
    }
    JsonNode creation = doc.path("creationInfo");
    fields(problems, "creationInfo", creation, CREATION_FIELDS, "created", "creators");
    if (!TIME.matcher(creation.path("created").asText()).matches()) {
      problems.add("creationInfo.created '" + creation.path("created").asText() + "' is not UTC");
    }
    if (creation.path("creators").size() < 1) {
      problems.add("creationInfo.creators is empty");
    }
    for (JsonNode creator : creation.path("creators")) {
      if (!creator.asText().matches("(Tool|Organization|Person): .+")) {
        problems.add("creator '" + creator.asText() + "' is not 'Tool|Organization|Person: ...'");
      }
    }
    Set<String> ids = new HashSet<>();
    ids.add("SPDXRef-DOCUMENT");
    Set<String> licenseRefs = new HashSet<>();
    for (JsonNode p : doc.path("packages")) {
      String where = "package " + p.path("SPDXID").asText();
      fields(problems, where, p, PACKAGE_FIELDS, "SPDXID", "downloadLocation", "name");
      id(problems, ids, p.path("SPDXID").asText());
      if (p.has("filesAnalyzed") && !p.get("filesAnalyzed").isBoolean()) {
        problems.add(where + ": filesAnalyzed is not a boolean");
      }
      if (!p.path("filesAnalyzed").asBoolean(true)
          && (p.has("hasFiles") || p.has("packageVerificationCode"))) {
        problems.add(where + ": filesAnalyzed false, yet it lists files");
      }
      checksums(problems, where, p.path("checksums"), false);
      for (JsonNode ref : p.path("externalRefs")) {
        fields(
            problems,
            where + " externalRef",
            ref,
            Set.of("comment", "referenceCategory", "referenceLocator", "referenceType"),
            "referenceCategory",
            "referenceLocator",
            "referenceType");
        oneOf(
            problems,
            where + " referenceCategory",
            ref.path("referenceCategory").asText(),
            REFERENCE_CATEGORIES);
      }
      if (p.has("primaryPackagePurpose")) {
        oneOf(
            problems,
            where + " primaryPackagePurpose",
            p.get("primaryPackagePurpose").asText(),
            PURPOSES);
      }
      licenseRefs(p.path("licenseDeclared").asText(""), licenseRefs);
      licenseRefs(p.path("licenseConcluded").asText(""), licenseRefs);
    }
    for (JsonNode f : doc.path("files")) {
      String where = "file " + f.path("SPDXID").asText();
      fields(problems, where, f, FILE_FIELDS, "SPDXID", "checksums", "fileName");
      id(problems, ids, f.path("SPDXID").asText());
      checksums(problems, where, f.path("checksums"), true);
      licenseRefs(f.path("licenseConcluded").asText(""), licenseRefs);
    }
    Set<String> defined = new HashSet<>();
    for (JsonNode info : doc.path("hasExtractedLicensingInfos")) {
      fields(
          problems,
          "hasExtractedLicensingInfos",
          info,
          Set.of("comment", "crossRefs", "extractedText", "licenseId", "name", "seeAlsos"),
          "extractedText",
          "licenseId");
      defined.add(info.path("licenseId").asText());
    }
    for (String ref : licenseRefs) {
      if (!defined.contains(ref)) {
        problems.add(ref + " is used but not in hasExtractedLicensingInfos");
      }
    }
    boolean describes = false;
    for (JsonNode r : doc.path("relationships")) {
      fields(
          problems,
          "relationship",
          r,
          Set.of("spdxElementId", "comment", "relatedSpdxElement", "relationshipType"),
          "spdxElementId",
          "relatedSpdxElement",
          "relationshipType");
      oneOf(problems, "relationshipType", r.path("relationshipType").asText(), RELATIONSHIP_TYPES);
      for (String end : List.of("spdxElementId", "relatedSpdxElement")) {
        if (!ids.contains(r.path(end).asText())) {
          problems.add("relationship names '" + r.path(end).asText() + "', which is no element");
        }
      }
      describes |=
          r.path("spdxElementId").asText().equals("SPDXRef-DOCUMENT")
              && r.path("relationshipType").asText().equals("DESCRIBES");
    }
    if (!describes && doc.path("documentDescribes").isEmpty()) {
      problems.add("the document DESCRIBES nothing");
    }
    return problems;
  }

  /** What a CycloneDX 1.6 JSON document lacks or has wrong; empty when it conforms. */
  public static List<String> cycloneDxProblems(JsonNode bom) {
    List<String> problems = new ArrayList<>();
    equal(problems, "bomFormat", bom.path("bomFormat").asText(), "CycloneDX");
    equal(problems, "specVersion", bom.path("specVersion").asText(), "1.6");
    if (!UUID_URN.matcher(bom.path("serialNumber").asText()).matches()) {
      problems.add("serialNumber '" + bom.path("serialNumber").asText() + "' is no RFC 4122 URN");
    }
    if (!bom.path("version").isInt() || bom.path("version").asInt() < 1) {
      problems.add("version is not an integer of at least 1");
    }
    JsonNode metadata = bom.path("metadata");
    if (!TIME.matcher(metadata.path("timestamp").asText()).matches()) {
      problems.add("metadata.timestamp '" + metadata.path("timestamp").asText() + "' is not UTC");
    }
    Set<String> refs = new HashSet<>();
    component(problems, refs, metadata.path("component"), "metadata.component");
    for (JsonNode c : bom.path("components")) {
      component(problems, refs, c, "component " + c.path("bom-ref").asText());
    }
    for (JsonNode d : bom.path("dependencies")) {
      if (!refs.contains(d.path("ref").asText())) {
        problems.add("dependency ref '" + d.path("ref").asText() + "' is no component");
      }
      for (JsonNode on : d.path("dependsOn")) {
        if (!refs.contains(on.asText())) {
          problems.add("dependsOn '" + on.asText() + "' is no component");
        }
      }
    }
    return problems;
  }

  /** Every purl an SPDX or CycloneDX document gives, for the caller to parse. */
  public static List<String> purls(JsonNode doc) {
    List<String> purls = new ArrayList<>();
    for (JsonNode p : doc.path("packages")) {
      for (JsonNode ref : p.path("externalRefs")) {
        if (ref.path("referenceType").asText().equals("purl")) {
          purls.add(ref.path("referenceLocator").asText());
        }
      }
    }
    for (JsonNode c : doc.path("components")) {
      if (c.has("purl")) {
        purls.add(c.get("purl").asText());
      }
    }
    return purls;
  }

  private static void component(List<String> problems, Set<String> refs, JsonNode c, String where) {
    if (c.isMissingNode()) {
      problems.add(where + " is missing");
      return;
    }
    oneOf(problems, where + " type", c.path("type").asText(), CDX_COMPONENT_TYPES);
    if (c.path("name").asText().isEmpty()) {
      problems.add(where + " has no name");
    }
    if (c.has("bom-ref") && !refs.add(c.get("bom-ref").asText())) {
      problems.add(where + ": bom-ref given twice");
    }
    for (JsonNode hash : c.path("hashes")) {
      oneOf(problems, where + " hash alg", hash.path("alg").asText(), CDX_HASH_ALGORITHMS);
      if (!HEX.matcher(hash.path("content").asText()).matches()) {
        problems.add(where + " hash content is not lower-case hex");
      }
    }
    JsonNode licenses = c.path("licenses");
    for (JsonNode l : licenses) {
      if (l.has("expression") ? licenses.size() != 1 : !l.has("license")) {
        problems.add(where + ": licenses must be one expression or license objects");
      }
    }
  }

  private static void checksums(List<String> problems, String where, JsonNode sums, boolean sha1) {
    boolean hasSha1 = false;
    for (JsonNode sum : sums) {
      fields(
          problems,
          where + " checksum",
          sum,
          Set.of("algorithm", "checksumValue"),
          "algorithm",
          "checksumValue");
      oneOf(
          problems,
          where + " checksum algorithm",
          sum.path("algorithm").asText(),
          CHECKSUM_ALGORITHMS);
      if (!HEX.matcher(sum.path("checksumValue").asText()).matches()) {
        problems.add(where + ": checksumValue is not lower-case hex");
      }
      hasSha1 |= sum.path("algorithm").asText().equals("SHA1");
    }
    if (sha1 && !hasSha1) {
      problems.add(where + ": a file needs a SHA1 checksum");
    }
  }

  private static void licenseRefs(String expression, Set<String> into) {
    Matcher m = LICENSE_REF.matcher(expression);
    while (m.find()) {
      into.add(m.group());
    }
  }

  private static void id(List<String> problems, Set<String> ids, String id) {
    if (!SPDX_ID.matcher(id).matches()) {
      problems.add("SPDXID '" + id + "' is not SPDXRef- and letters, digits, '.', '-'");
    }
    if (!ids.add(id)) {
      problems.add("SPDXID '" + id + "' given twice");
    }
  }

  private static void fields(
      List<String> problems, String where, JsonNode node, Set<String> allowed, String... required) {
    for (String field : required) {
      if (!node.has(field)) {
        problems.add(where + " lacks required field " + field);
      }
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        problems.add(where + " has field " + name + ", which the schema does not allow");
      }
    }
  }

  private static void equal(List<String> problems, String field, String actual, String expected) {
    if (!actual.equals(expected)) {
      problems.add(field + " is '" + actual + "', not '" + expected + "'");
    }
  }

  private static void oneOf(List<String> problems, String what, String value, Set<String> allowed) {
    if (!allowed.contains(value)) {
      problems.add(what + " '" + value + "' is not one the schema allows");
    }
  }
}
