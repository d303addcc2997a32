package dev.rig.init.supervise;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Writes a service's {@code configData} into its own directory, which the service sees as
 * XDG_CONFIG_HOME. Private (0700) because config often carries tokens, and rewritten on every run
 * so the files always match runtime.json.
 */
public final class ConfigDir {
  private ConfigDir() {}

  public static Path materialise(Path dir, Map<String, String> files) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    for (Map.Entry<String, String> e : files.entrySet()) {
      Path target = dir.resolve(e.getKey()).normalize();
      if (!target.startsWith(dir)) {
        throw new IOException("config file '" + e.getKey() + "' would be outside " + dir);
      }
      Files.createDirectories(target.getParent());
      Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
      Files.writeString(tmp, e.getValue());
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return dir;
  }
}
