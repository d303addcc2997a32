package dev.rig.spec;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import org.pkl.core.resource.ResourceReader;

/**
 * Answers the schema's {@code rig-host:BASE64PATH} reads with what is at that host path: {@code
 * "file ABS"}, {@code "directory ABS"} or {@code "missing ABS"}. Doing the existence checks from
 * inside Pkl makes a missing path an ordinary Pkl error, located at the very line that names it,
 * even in a file the spec imports.
 */
final class HostPathReader implements ResourceReader {
  static final String SCHEME = "rig-host";

  private final Path specDir;

  HostPathReader(Path specDir) {
    this.specDir = specDir;
  }

  @Override
  public String getUriScheme() {
    return SCHEME;
  }

  @Override
  public boolean isGlobbable() {
    return false;
  }

  @Override
  public boolean hasHierarchicalUris() {
    return false;
  }

  @Override
  public Optional<Object> read(URI uri) {
    String path =
        new String(
            Base64.getDecoder().decode(uri.getRawSchemeSpecificPart()), StandardCharsets.UTF_8);
    Path resolved;
    try {
      resolved = HostPaths.resolve(specDir, path);
    } catch (InvalidPathException e) {
      return Optional.of("missing " + path);
    }
    String kind =
        Files.isDirectory(resolved) ? "directory" : Files.exists(resolved) ? "file" : "missing";
    return Optional.of(kind + " " + resolved);
  }
}
