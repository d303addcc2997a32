package dev.rig.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a small shared library with the machine's gcc: the fake NVIDIA driver (a libcuda.so.1
 * stand-in) and fake CUDA libraries the GPU tests mount or package.
 */
public final class SharedLibrary {
  private SharedLibrary() {}

  /**
   * Compiles {@code source} into {@code output} with the given soname; {@code flags} go to gcc
   * before the source (defines, optimisation). Returns {@code output}.
   */
  public static Path build(Path source, Path output, String soname, String... flags)
      throws IOException {
    Tools.require("gcc", "gcc");
    List<String> gcc = new ArrayList<>(List.of("gcc", "-shared", "-fPIC", "-Wl,-soname," + soname));
    gcc.addAll(List.of(flags));
    gcc.addAll(List.of("-o", output.toString(), source.toString()));
    Exec.run(gcc).ok();
    return output;
  }
}
