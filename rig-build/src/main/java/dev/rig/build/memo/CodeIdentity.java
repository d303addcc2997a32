package dev.rig.build.memo;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which build of rig (and of the libraries that write image bytes) is running: each jar by path,
 * size and time, a directory of classes (tests, IDEs) by the same for every file in it. A memo made
 * by another build of rig never matches, so a new rig rebuilds instead of trusting it.
 */
final class CodeIdentity {
  /** A class from each jar whose code can change an image's bytes. */
  private static final List<String> CODE =
      List.of(
          "dev.rig.build.Rig",
          "dev.rig.spec.ImageSpec",
          "dev.rig.oci.digest.Digest",
          "dev.rig.apt.version.DebianVersion",
          "dev.rig.registry.RegistryClient",
          "dev.rig.python.lock.LockedWheel",
          "com.github.luben.zstd.Zstd",
          "org.tukaani.xz.XZ",
          "org.apache.commons.compress.archivers.ArchiveEntry",
          "com.fasterxml.jackson.databind.ObjectMapper",
          "com.fasterxml.jackson.core.JsonFactory");

  private CodeIdentity() {}

  /** Empty when some code cannot be located (then nothing is memoized). */
  static Optional<String> current() {
    StringBuilder identity = new StringBuilder();
    for (String className : CODE) {
      Optional<String> one = of(className);
      if (one.isEmpty()) {
        return Optional.empty();
      }
      identity.append(one.get());
    }
    return Optional.of(identity.toString());
  }

  private static Optional<String> of(String className) {
    try {
      // Not initialised: only where its bytes come from matters.
      Class<?> code = Class.forName(className, false, CodeIdentity.class.getClassLoader());
      CodeSource source = code.getProtectionDomain().getCodeSource();
      URL location = source == null ? null : source.getLocation();
      if (location == null) {
        return Optional.empty();
      }
      Path path = Path.of(location.toURI());
      StringBuilder identity = new StringBuilder("code ").append(path).append('\n');
      if (Files.isDirectory(path)) {
        List<String> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(path)) {
          for (Path file : (Iterable<Path>) walk::iterator) {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (attributes.isRegularFile()) {
              files.add(stat(path.relativize(file).toString(), attributes));
            }
          }
        }
        files.sort(null);
        files.forEach(line -> identity.append("  ").append(line).append('\n'));
      } else {
        identity
            .append("  ")
            .append(stat("", Files.readAttributes(path, BasicFileAttributes.class)));
        identity.append('\n');
      }
      return Optional.of(identity.toString());
    } catch (IOException | URISyntaxException | ClassNotFoundException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String stat(String name, BasicFileAttributes attributes) {
    return name + " " + attributes.size() + " " + attributes.lastModifiedTime().toMillis();
  }
}
