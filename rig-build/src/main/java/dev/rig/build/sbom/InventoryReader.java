package dev.rig.build.sbom;

import dev.rig.apt.control.ControlParser;
import dev.rig.apt.control.Stanza;
import dev.rig.build.lock.ImageLock;
import dev.rig.build.lock.LockedPackage;
import dev.rig.build.plan.PreparedCopy;
import dev.rig.build.plan.PreparedImage;
import dev.rig.build.runtime.RuntimeLayer;
import dev.rig.oci.image.BaseImage;
import dev.rig.oci.image.ImageLayer;
import dev.rig.oci.layer.Content;
import dev.rig.oci.layer.EntryType;
import dev.rig.oci.layer.LayerEntry;
import dev.rig.oci.layer.LayerInput;
import dev.rig.spec.BaseImageRef;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads what a build put into an image from the layers it planned (the dpkg database, os-release,
 * copyright files, copied files) and joins it with rig.lock (each .deb's hash and location), so
 * that the SBOM lists what the image holds, not what the spec asked for. Reads only the few files
 * it needs, plus every copied file once to hash it (or its hashes, remembered by stat).
 */
public final class InventoryReader {
  private static final HexFormat HEX = HexFormat.of();
  private static final String STATUS = "/var/lib/dpkg/status";

  private final LayeredFiles files;
  private final FileHashes hostFiles;

  private InventoryReader(List<LayerInput> layers, FileHashes hostFiles) {
    this.files = LayeredFiles.of(layers);
    this.hostFiles = hostFiles;
  }

  /**
   * @param layers the image's own layers, bottom first, as planned
   * @param packages the image's locked packages, when it has any
   * @param tools the locked build tools rig-init's Java was linked from, when it was
   * @param base the base image it was built on, when any
   * @param baseOrigin the base as the spec names it, pinned by digest where it came from a registry
   * @param hostFiles the copied host files' hashes (which may be remembered by stat)
   */
  public static ImageInventory read(
      PreparedImage prepared,
      List<LayerInput> layers,
      Optional<ImageLock> packages,
      Optional<ImageLock> tools,
      Optional<BaseImage> base,
      Optional<String> baseOrigin,
      FileHashes hostFiles)
      throws IOException {
    return new InventoryReader(layers, hostFiles)
        .inventory(prepared, packages, tools, base, baseOrigin);
  }

  private ImageInventory inventory(
      PreparedImage prepared,
      Optional<ImageLock> packages,
      Optional<ImageLock> tools,
      Optional<BaseImage> base,
      Optional<String> baseOrigin)
      throws IOException {
    List<DebianPackage> debs = packages.isPresent() ? debianPackages(packages.get()) : List.of();
    Optional<Distro> distro = Optional.empty();
    if (!debs.isEmpty()) {
      Optional<String> osRelease = files.text("/etc/os-release");
      if (osRelease.isEmpty()) {
        osRelease = files.text("/usr/lib/os-release");
      }
      distro = Optional.of(osRelease.map(Distro::parse).orElse(Distro.UNKNOWN_DEBIAN));
    }
    List<BaseLayer> baseLayers = new ArrayList<>();
    if (base.isPresent()) {
      List<ImageLayer> layers = base.get().layers();
      for (int i = 0; i < layers.size(); i++) {
        ImageLayer layer = layers.get(i);
        baseLayers.add(
            new BaseLayer(
                i + 1,
                layer.blob().digest().toString(),
                layer.diffId().toString(),
                layer.blob().size(),
                baseOrigin));
      }
    }
    List<ImageFile> copied = new ArrayList<>();
    for (PreparedCopy copy : prepared.copies()) {
      for (LayerEntry entry : copy.entries()) {
        file(entry, "copyToRoot").ifPresent(copied::add);
      }
    }
    if (prepared.home().isPresent()) {
      for (LayerEntry entry : prepared.home().get().entries()) {
        file(entry, "home").ifPresent(copied::add);
      }
    }
    return new ImageInventory(
        distro,
        debs,
        baseOrigin.filter(o -> base.isPresent()),
        baseLayers,
        copied,
        runtime(prepared, tools),
        List.of());
  }

  /** The base as rig.lock pins it, else as the spec writes it; never a host path. */
  public static Optional<String> origin(Optional<BaseImageRef> ref, Optional<String> pinned) {
    if (pinned.isPresent()) {
      return pinned;
    }
    return ref.map(
        r -> {
          if (r instanceof BaseImageRef.OciLayoutRef layout) {
            return "oci-layout" + (layout.tag().isEmpty() ? "" : ":" + layout.tag());
          }
          return ((BaseImageRef.RegistryRef) r).reference();
        });
  }

  /** Every package dpkg lists as installed, with the .deb rig.lock says it came from. */
  private List<DebianPackage> debianPackages(ImageLock lock) throws IOException {
    Optional<String> status = files.text(STATUS);
    if (status.isEmpty()) {
      return List.of();
    }
    Map<String, LockedPackage> locked =
        lock.packages().stream()
            .collect(Collectors.toMap(p -> p.name() + ":" + p.architecture(), p -> p, (a, b) -> a));
    List<DebianPackage> out = new ArrayList<>();
    for (Stanza stanza : ControlParser.parse(STATUS, status.get())) {
      if (!stanza.get("Status").orElse("").endsWith(" installed")) {
        continue;
      }
      String name = stanza.require("Package");
      String version = stanza.get("Version").orElse("");
      String arch = stanza.get("Architecture").orElse("");
      String source = name;
      String sourceVersion = version;
      Optional<String> sourceField = stanza.get("Source");
      if (sourceField.isPresent()) {
        String[] parts = sourceField.get().strip().split("\\s+", 2);
        source = parts[0];
        if (parts.length == 2 && parts[1].startsWith("(") && parts[1].endsWith(")")) {
          sourceVersion = parts[1].substring(1, parts[1].length() - 1).strip();
        }
      }
      Optional<LockedPackage> deb = Optional.ofNullable(locked.get(name + ":" + arch));
      SpdxLicense license =
          files
              .text("/usr/share/doc/" + name + "/copyright")
              .map(DebianCopyright::license)
              .orElse(SpdxLicense.NOASSERTION);
      out.add(
          new DebianPackage(
              name,
              version,
              arch,
              source,
              sourceVersion,
              deb.map(LockedPackage::sha256),
              deb.map(InventoryReader::downloadLocation),
              license));
    }
    return out;
  }

  private static String downloadLocation(LockedPackage p) {
    String uri = p.repository().uri();
    return (uri.endsWith("/") ? uri : uri + "/") + p.filename();
  }

  /** rig-init's jar, and the Java runtime linked for it from the locked JDK. */
  private static List<RuntimeComponent> runtime(PreparedImage prepared, Optional<ImageLock> tools) {
    if (prepared.runtime().isEmpty()) {
      return List.of();
    }
    List<RuntimeComponent> parts = new ArrayList<>();
    parts.add(
        new RuntimeComponent(
            "rig-init",
            Sbom.toolVersion(),
            RuntimeLayer.JAR,
            Optional.of(HEX.formatHex(sha(RuntimeLayer.jar(), "SHA-256"))),
            ""));
    boolean linked =
        prepared.runtime().get().entries().stream()
            .anyMatch(e -> e.path().startsWith(RuntimeLayer.JAVA_HOME + "/"));
    if (linked && tools.isPresent()) {
      List<LockedPackage> jdk =
          tools.get().packages().stream().filter(p -> p.name().startsWith("openjdk-")).toList();
      parts.add(
          new RuntimeComponent(
              "rig-init-java",
              jdk.isEmpty() ? "unknown" : jdk.get(0).version(),
              RuntimeLayer.JAVA_HOME,
              Optional.empty(),
              jdk.stream()
                  .map(p -> p.name() + "=" + p.version())
                  .collect(Collectors.joining(" "))));
    }
    return parts;
  }

  /** A regular file as the SBOM lists it; links and directories are not listed. */
  private Optional<ImageFile> file(LayerEntry entry, String origin) throws IOException {
    if (entry.type() != EntryType.FILE) {
      return Optional.empty();
    }
    FileHashes.Hashes hashes;
    if (entry.content() instanceof Content.HostFile host) {
      hashes = hostFiles.of(host.path());
    } else {
      try (InputStream in = entry.content().open()) {
        hashes = FileHashes.read(in);
      }
    }
    return Optional.of(
        new ImageFile(entry.path(), hashes.sha1(), hashes.sha256(), hashes.size(), origin));
  }

  private static byte[] sha(byte[] bytes, String algorithm) {
    return digest(algorithm).digest(bytes);
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
