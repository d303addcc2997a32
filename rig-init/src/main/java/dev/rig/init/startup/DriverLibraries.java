package dev.rig.init.startup;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds NVIDIA driver libraries that the host injected (container toolkit, CDI, vast/RunPod
 * runtimes, WSL) in every place they are known to land, and reads each one's real SONAME.
 */
public final class DriverLibraries {
  /** Where injectors put driver libraries, as container paths. */
  public static final List<String> SEARCH_DIRS =
      List.of(
          "/usr/lib/x86_64-linux-gnu",
          "/usr/lib64",
          "/lib/x86_64-linux-gnu",
          "/lib64",
          "/usr/lib/x86_64-linux-gnu/nvidia/current",
          "/usr/local/nvidia/lib64",
          "/usr/lib/wsl/lib");

  /** One library file: the directory as a container path, its file name and SONAME (if any). */
  public record Library(String dir, String fileName, Optional<String> soname) {}

  private DriverLibraries() {}

  /** Regular files (not links) named libcuda.so* or libnvidia-*.so* under the search dirs. */
  public static List<Library> scan(StepContext ctx) throws IOException {
    List<Library> found = new ArrayList<>();
    for (String dir : SEARCH_DIRS) {
      Path d = ctx.path(dir);
      if (!Files.isDirectory(d)) {
        continue;
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(d, "lib{cuda,nvidia-*}.so*")) {
        for (Path p : entries) {
          if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            found.add(new Library(dir, p.getFileName().toString(), ElfSoname.read(p)));
          }
        }
      }
    }
    found.sort(java.util.Comparator.comparing(Library::dir).thenComparing(Library::fileName));
    return found;
  }
}
