package dev.rig.apt.dpkg;

import dev.rig.apt.control.ControlParser;
import dev.rig.apt.control.Stanza;
import dev.rig.oci.layer.Content;
import dev.rig.oci.layer.LayerEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The dpkg database of an image whose packages rig unpacked itself, so that {@code dpkg -l}, {@code
 * apt} and vulnerability scanners inside the image see them as installed. Maintainer scripts are
 * stored, not run. Output is a pure function of the inputs: stanzas sorted by name and
 * architecture, files in fixed order.
 */
public final class DpkgDatabase {
  public static final String ADMIN_DIR = "/var/lib/dpkg";

  private static final Set<String> SCRIPTS =
      Set.of("preinst", "postinst", "prerm", "postrm", "config");
  private static final List<String> DIRECTORIES =
      List.of(
          "/var",
          "/var/lib",
          ADMIN_DIR,
          ADMIN_DIR + "/info",
          ADMIN_DIR + "/updates",
          ADMIN_DIR + "/triggers",
          ADMIN_DIR + "/alternatives");

  private final List<Stanza> status;
  private final List<InstalledPackage> installed;

  private DpkgDatabase(List<Stanza> status, List<InstalledPackage> installed) {
    this.status = status;
    this.installed = installed;
  }

  /**
   * Merges new packages into a base image's status file (empty text when there is none). A base
   * package of the same name (and architecture, for Multi-Arch: same) is replaced; the others stay,
   * since their files are still in the lower layers.
   */
  public static DpkgDatabase of(String baseStatus, List<InstalledPackage> packages) {
    Map<String, Stanza> byKey = new TreeMap<>();
    for (Stanza s : ControlParser.parse(ADMIN_DIR + "/status", baseStatus)) {
      byKey.put(key(s), s);
    }
    Map<String, InstalledPackage> ours = new TreeMap<>();
    for (InstalledPackage p : packages) {
      Stanza s = installedStanza(p);
      if (p.infoName().equals(p.name())) {
        // Not Multi-Arch: same, so only one architecture of the name can be installed.
        byKey.keySet().removeIf(k -> k.startsWith(p.name() + "\0"));
      }
      byKey.put(key(s), s);
      ours.put(p.infoName(), p);
    }
    List<Stanza> sorted =
        byKey.values().stream()
            .sorted(
                Comparator.comparing((Stanza s) -> s.require("Package").strip())
                    .thenComparing(s -> s.get("Architecture").orElse("").strip()))
            .toList();
    return new DpkgDatabase(sorted, List.copyOf(ours.values()));
  }

  private static String key(Stanza s) {
    return s.require("Package").strip() + "\0" + s.get("Architecture").orElse("").strip();
  }

  /** The control stanza plus what dpkg adds on install: Status, and Conffiles with their hashes. */
  private static Stanza installedStanza(InstalledPackage p) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("Package", p.name());
    fields.put("Status", "install ok installed");
    for (Map.Entry<String, String> f : p.control().fields().entrySet()) {
      String lower = f.getKey().toLowerCase(java.util.Locale.ROOT);
      if (lower.equals("package") || lower.equals("status") || lower.equals("conffiles")) {
        continue;
      }
      if (lower.equals("description") && !p.conffiles().isEmpty()) {
        fields.put("Conffiles", conffilesValue(p));
      }
      fields.put(f.getKey(), f.getValue());
    }
    if (!p.conffiles().isEmpty() && !fields.containsKey("Conffiles")) {
      fields.put("Conffiles", conffilesValue(p));
    }
    return new Stanza(ADMIN_DIR + "/status", 0, fields);
  }

  private static String conffilesValue(InstalledPackage p) {
    StringBuilder v = new StringBuilder();
    p.conffiles().forEach((path, md5) -> v.append('\n').append(path).append(' ').append(md5));
    return v.toString();
  }

  /** The text of {@code /var/lib/dpkg/status}. */
  public String statusText() {
    StringBuilder out = new StringBuilder();
    for (Stanza s : status) {
      for (Map.Entry<String, String> f : s.fields().entrySet()) {
        String[] lines = f.getValue().split("\n", -1);
        out.append(f.getKey()).append(':');
        if (!lines[0].isEmpty()) {
          out.append(' ').append(lines[0]);
        }
        out.append('\n');
        for (int i = 1; i < lines.length; i++) {
          out.append(' ').append(lines[i]).append('\n');
        }
      }
      out.append('\n');
    }
    return out.toString();
  }

  /**
   * Layer entries for the database: directories, {@code status}, an empty {@code available}, and
   * for each new package {@code info/NAME.list}, {@code .md5sums}, {@code .conffiles} and its other
   * control members (scripts executable).
   */
  public List<LayerEntry> entries() {
    List<LayerEntry> out = new ArrayList<>();
    for (String d : DIRECTORIES) {
      out.add(LayerEntry.directory(d, 0755, 0, 0));
    }
    out.add(file(ADMIN_DIR + "/status", statusText().getBytes(StandardCharsets.UTF_8), 0644));
    out.add(file(ADMIN_DIR + "/available", new byte[0], 0644));
    // Format 1 tells dpkg that info/ files of Multi-Arch: same packages carry ":ARCH".
    out.add(file(ADMIN_DIR + "/info/format", utf8("1\n"), 0644));
    for (InstalledPackage p : installed) {
      String base = ADMIN_DIR + "/info/" + p.infoName();
      StringBuilder list = new StringBuilder("/.\n");
      p.files().forEach(f -> list.append(f).append('\n'));
      out.add(file(base + ".list", utf8(list.toString()), 0644));
      if (!p.md5sums().isEmpty()) {
        out.add(file(base + ".md5sums", utf8(p.md5sums()), 0644));
      }
      if (!p.conffiles().isEmpty()) {
        StringBuilder conf = new StringBuilder();
        p.conffiles().keySet().forEach(c -> conf.append(c).append('\n'));
        out.add(file(base + ".conffiles", utf8(conf.toString()), 0644));
      }
      p.infoFiles()
          .forEach(
              (name, bytes) ->
                  out.add(file(base + "." + name, bytes, SCRIPTS.contains(name) ? 0755 : 0644)));
    }
    return List.copyOf(out);
  }

  private static LayerEntry file(String path, byte[] bytes, int mode) {
    return LayerEntry.file(path, Content.ofBytes(bytes), mode, 0, 0);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
