package dev.rig.spec;

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
 * Which build of some code is running, for caches whose entries hold only for the code that made
 * them: each jar by path, size and time; a directory of classes (tests, IDEs) by the same for every
 * file in it.
 */
public final class CodeVersion {
  private CodeVersion() {}

  /**
   * The code the named classes come from, one after the other; empty when one of them cannot be
   * located (the caller then caches nothing).
   */
  public static Optional<String> of(List<String> classNames) {
    StringBuilder identity = new StringBuilder();
    for (String className : classNames) {
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
      Class<?> code = Class.forName(className, false, CodeVersion.class.getClassLoader());
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
            .append(stat("", Files.readAttributes(path, BasicFileAttributes.class)))
            .append('\n');
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
