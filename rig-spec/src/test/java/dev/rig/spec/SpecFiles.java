package dev.rig.spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the files a test spec refers to. */
final class SpecFiles {
  static final String AMENDS = "amends \"modulepath:/rig/Project.pkl\"\n";

  private SpecFiles() {}

  static Path write(Path dir, String name, String text) {
    try {
      Path file = dir.resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The smallest directory the schema accepts as an OCI image layout. */
  static Path layout(Path dir) {
    write(dir, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
    write(dir, "index.json", "{\"schemaVersion\":2,\"manifests\":[]}");
    return dir;
  }
}
