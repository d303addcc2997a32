package dev.rig.build.sbom;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * An image's SBOM as a CycloneDX 1.6 JSON document: the image is the metadata component, and the
 * Debian packages, base layers, runtime parts, wheels and copied files are its components.
 */
final class CycloneDxDocument {
  private static final String IMAGE_REF = "image";

  private CycloneDxDocument() {}

  static byte[] write(Sbom sbom) {
    SbomSubject subject = sbom.subject();
    ImageInventory inventory = sbom.inventory();
    ObjectNode root = SbomJson.object();
    root.put("$schema", "http://cyclonedx.org/schema/bom-1.6.schema.json");
    root.put("bomFormat", "CycloneDX");
    root.put("specVersion", "1.6");
    root.put("serialNumber", "urn:uuid:" + sbom.uuid(SbomFormat.CYCLONEDX));
    root.put("version", 1);
    ObjectNode metadata = root.putObject("metadata");
    metadata.put("timestamp", SbomJson.time(subject.created()));
    ObjectNode tool = metadata.putObject("tools").putArray("components").addObject();
    tool.put("type", "application");
    tool.put("name", "rig");
    tool.put("version", Sbom.toolVersion());
    ObjectNode image = metadata.putObject("component");
    image.put("type", "container");
    image.put("bom-ref", IMAGE_REF);
    image.put("name", subject.name());
    image.put("version", subject.digest());
    image.put("description", "OCI image " + subject.reference());
    hash(image.putArray("hashes"), subject.digestHex());
    image.put("purl", subject.purl().toString());
    property(image, "rig:image:platform", subject.os() + "/" + subject.architecture());

    ArrayNode components = root.putArray("components");
    Set<String> refs = new LinkedHashSet<>();
    Distro distro = inventory.distro().orElse(Distro.UNKNOWN_DEBIAN);
    for (DebianPackage p : inventory.packages()) {
      Purl purl = p.purl(distro);
      ObjectNode node = components.addObject();
      node.put("type", "library");
      node.put("bom-ref", unique(refs, purl.toString()));
      node.put("name", p.name());
      node.put("version", p.version());
      p.sha256().ifPresent(sha -> hash(node.putArray("hashes"), sha));
      p.license()
          .expression()
          .ifPresent(e -> node.putArray("licenses").addObject().put("expression", e));
      node.put("purl", purl.toString());
      p.downloadLocation()
          .ifPresent(
              url -> {
                ObjectNode ref = node.putArray("externalReferences").addObject();
                ref.put("type", "distribution");
                ref.put("url", url);
              });
      property(node, "rig:deb:architecture", p.architecture());
      property(node, "rig:deb:source", p.source());
      property(node, "rig:deb:source-version", p.sourceVersion());
    }
    for (BaseLayer layer : inventory.baseLayers()) {
      ObjectNode node = components.addObject();
      node.put("type", "data");
      node.put("bom-ref", unique(refs, "base-layer-" + layer.index()));
      node.put("name", "base layer " + layer.index());
      node.put("version", layer.diffId());
      hash(node.putArray("hashes"), hex(layer.digest()));
      property(node, "rig:layer:digest", layer.digest());
      property(node, "rig:layer:size", Long.toString(layer.size()));
      layer.origin().ifPresent(origin -> property(node, "rig:layer:origin", origin));
    }
    for (RuntimeComponent part : inventory.runtime()) {
      ObjectNode node = components.addObject();
      node.put("type", "application");
      node.put("bom-ref", unique(refs, "runtime-" + part.name()));
      node.put("name", part.name());
      node.put("version", part.version());
      part.sha256().ifPresent(sha -> hash(node.putArray("hashes"), sha));
      property(node, "rig:path", part.path());
      if (!part.builtFrom().isEmpty()) {
        property(node, "rig:built-from", part.builtFrom());
      }
    }
    for (PythonWheel wheel : inventory.wheels()) {
      ObjectNode node = components.addObject();
      node.put("type", "library");
      node.put("bom-ref", unique(refs, wheel.purl() + "#" + wheel.environment()));
      node.put("name", wheel.name());
      node.put("version", wheel.version());
      wheel.sha256().ifPresent(sha -> hash(node.putArray("hashes"), sha));
      node.put("purl", wheel.purl().toString());
      property(node, "rig:python:environment", wheel.environment());
    }
    for (ImageFile file : inventory.files()) {
      ObjectNode node = components.addObject();
      node.put("type", "file");
      node.put("bom-ref", unique(refs, "file:" + file.path()));
      node.put("name", file.path());
      hash(node.putArray("hashes"), file.sha256());
      property(node, "rig:file:origin", file.origin());
      property(node, "rig:file:size", Long.toString(file.size()));
    }
    ObjectNode dependency = root.putArray("dependencies").addObject();
    dependency.put("ref", IMAGE_REF);
    ArrayNode dependsOn = dependency.putArray("dependsOn");
    refs.forEach(dependsOn::add);
    return SbomJson.bytes(root);
  }

  private static void hash(ArrayNode hashes, String sha256) {
    ObjectNode hash = hashes.addObject();
    hash.put("alg", "SHA-256");
    hash.put("content", sha256);
  }

  private static void property(ObjectNode node, String name, String value) {
    ArrayNode properties =
        node.has("properties") ? (ArrayNode) node.get("properties") : node.putArray("properties");
    ObjectNode property = properties.addObject();
    property.put("name", name);
    property.put("value", value);
  }

  private static String unique(Set<String> taken, String wanted) {
    String candidate = wanted;
    for (int n = 2; !taken.add(candidate); n++) {
      candidate = wanted + "#" + n;
    }
    return candidate;
  }

  private static String hex(String digest) {
    return digest.substring(digest.indexOf(':') + 1);
  }
}
