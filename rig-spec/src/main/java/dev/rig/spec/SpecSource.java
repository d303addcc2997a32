package dev.rig.spec;

import java.nio.file.Path;
import java.util.function.IntUnaryOperator;
import org.pkl.core.ModuleSource;

/**
 * The Pkl module that stands for a spec file: the file itself for {@code .pkl}, generated text for
 * YAML and JSON, with the map from the module's lines back to the file's.
 *
 * @param file the spec file, absolute
 * @param format the language it is written in
 * @param module what Pkl evaluates
 * @param lines maps a 1-based line of {@code module} to the 1-based line of {@code file} it came
 *     from (0 when none)
 */
record SpecSource(Path file, SpecFormat format, ModuleSource module, IntUnaryOperator lines) {

  static SpecSource ofPkl(Path file) {
    return new SpecSource(file, SpecFormat.PKL, ModuleSource.path(file), line -> line);
  }

  String moduleUri() {
    return module.getUri().toString();
  }
}
