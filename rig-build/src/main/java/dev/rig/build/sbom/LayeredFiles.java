package dev.rig.build.sbom;

import dev.rig.oci.layer.EntryType;
import dev.rig.oci.layer.LayerEntry;
import dev.rig.oci.layer.LayerInput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An image's files as its planned layers leave them (the upper layer winning), read the way the
 * image sees them: symbolic links followed inside the image, never on the build host.
 */
final class LayeredFiles {
  private static final int MAX_LINKS = 40;

  private final Map<String, LayerEntry> files;

  private LayeredFiles(Map<String, LayerEntry> files) {
    this.files = files;
  }

  static LayeredFiles of(List<LayerInput> layers) {
    Map<String, LayerEntry> top = new HashMap<>();
    for (LayerInput layer : layers) {
      for (LayerEntry entry : layer.entries()) {
        top.put(entry.path(), entry);
      }
    }
    return new LayeredFiles(top);
  }

  /** A file's text, following links inside the image; empty when there is none. */
  Optional<String> text(String path) throws IOException {
    Optional<LayerEntry> entry = resolve(path);
    if (entry.isEmpty() || entry.get().type() != EntryType.FILE) {
      return Optional.empty();
    }
    try (InputStream in = entry.get().content().open()) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** The entry {@code path} names, each link on the way followed inside the image. */
  private Optional<LayerEntry> resolve(String path) {
    String current = path;
    for (int hops = 0; hops < MAX_LINKS; hops++) {
      String[] parts = current.substring(1).split("/");
      String prefix = "";
      boolean moved = false;
      for (int i = 0; i < parts.length; i++) {
        prefix = prefix + "/" + parts[i];
        LayerEntry entry = files.get(prefix);
        if (entry == null) {
          // A directory a layer holds only implicitly, as the parent of its entries.
          if (i == parts.length - 1) {
            return Optional.empty();
          }
          continue;
        }
        String rest = String.join("/", List.of(parts).subList(i + 1, parts.length));
        if (entry.type() == EntryType.SYMLINK) {
          String target = entry.linkTarget();
          String dir = prefix.substring(0, prefix.lastIndexOf('/'));
          String joined = target.startsWith("/") ? target : dir + "/" + target;
          current = normalize(joined + (rest.isEmpty() ? "" : "/" + rest));
          moved = true;
          break;
        }
        if (entry.type() == EntryType.HARDLINK && i == parts.length - 1) {
          return Optional.ofNullable(files.get(entry.linkTarget()));
        }
        if (i == parts.length - 1) {
          return Optional.of(entry);
        }
      }
      if (!moved) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static String normalize(String path) {
    List<String> out = new ArrayList<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!out.isEmpty()) {
          out.remove(out.size() - 1);
        }
      } else {
        out.add(part);
      }
    }
    return "/" + String.join("/", out);
  }
}
