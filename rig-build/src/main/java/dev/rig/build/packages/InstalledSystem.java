package dev.rig.build.packages;

import dev.rig.apt.control.ControlParser;
import dev.rig.apt.control.Stanza;
import dev.rig.build.rootfs.ImageRoot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A configured root and what dpkg says about it: each installed package with its source package,
 * the paths it owns and the checksums of its files as shipped.
 */
public record InstalledSystem(Path root, List<InstalledPackage> packages) {
  public InstalledSystem {
    packages = List.copyOf(packages);
  }

  /**
   * @param files paths from dpkg's .list, absolute
   * @param md5 shipped checksums of regular files (md5sums and conffiles), by absolute path
   */
  public record InstalledPackage(
      String name, String version, String source, List<String> files, Map<String, String> md5) {
    public InstalledPackage {
      files = List.copyOf(files);
      md5 = Map.copyOf(md5);
    }
  }

  static InstalledSystem read(Path root) throws IOException {
    // Read as the image sees its files: a link a script left must not point rig at the host's.
    ImageRoot image = ImageRoot.of(root);
    String admin = "var/lib/dpkg/";
    String status = image.readString(admin + "status");
    List<InstalledPackage> packages = new ArrayList<>();
    for (Stanza stanza : ControlParser.parse("/var/lib/dpkg/status", status)) {
      if (!stanza.get("Status").orElse("").endsWith(" installed")) {
        continue;
      }
      String name = stanza.require("Package");
      String arch = stanza.get("Architecture").orElse("");
      String source = stanza.get("Source").orElse(name).split(" ")[0];
      String list = admin + "info/" + name + ".list";
      String md5sums = admin + "info/" + name + ".md5sums";
      if (!image.exists(list)) {
        list = admin + "info/" + name + ":" + arch + ".list";
        md5sums = admin + "info/" + name + ":" + arch + ".md5sums";
      }
      List<String> files = image.exists(list) ? image.readString(list).lines().toList() : List.of();
      Map<String, String> md5 = new HashMap<>();
      if (image.exists(md5sums)) {
        for (String line : image.readString(md5sums).lines().toList()) {
          int space = line.indexOf("  ");
          if (space == 32) {
            md5.put("/" + line.substring(space + 2), line.substring(0, 32));
          }
        }
      }
      for (String conffile : stanza.get("Conffiles").orElse("").lines().toList()) {
        String[] parts = conffile.strip().split(" ");
        if (parts.length >= 2 && parts[1].length() == 32) {
          md5.put(parts[0], parts[1]);
        }
      }
      packages.add(
          new InstalledPackage(name, stanza.get("Version").orElse(""), source, files, md5));
    }
    return new InstalledSystem(root, packages);
  }
}
