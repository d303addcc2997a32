package dev.rig.build.vm.run;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Programs found on a search path, as a shell finds them. The path is a value so that tests can
 * offer a directory of fake programs instead of the host's.
 */
public record Executables(List<Path> directories) {
  public Executables {
    directories = List.copyOf(directories);
  }

  /** The directories of {@code PATH} in {@code environment}. */
  public static Executables fromEnvironment(Map<String, String> environment) {
    String path = environment.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    return new Executables(
        Pattern.compile(Pattern.quote(File.pathSeparator))
            .splitAsStream(path)
            .filter(entry -> !entry.isEmpty())
            .map(Path::of)
            .toList());
  }

  /** The first executable file named {@code name}. */
  public Optional<Path> find(String name) {
    for (Path directory : directories) {
      Path candidate = directory.resolve(name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
