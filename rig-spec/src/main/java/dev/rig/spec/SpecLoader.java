package dev.rig.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.pkl.core.ModuleSchema;
import org.pkl.core.PModule;
import org.pkl.core.PklException;

/**
 * Loads a spec ({@code rig.pkl}, {@code rig.yaml}/{@code rig.yml} or {@code rig.json}) into a
 * {@link Project}. Every format is checked by the same Pkl schema ({@code
 * modulepath:/rig/Project.pkl}); every problem is a {@link SpecException} naming file, line and
 * option.
 */
public final class SpecLoader {
  /** The file names {@link #find} looks for, in order. */
  public static final List<String> FILE_NAMES =
      List.of("rig.pkl", "rig.yaml", "rig.yml", "rig.json");

  private SpecLoader() {}

  /**
   * The spec file in {@code dir}, if there is one.
   *
   * @throws SpecException if there are several: which one is meant would be a guess, and a stale
   *     copy in another format would silently win or lose
   */
  public static Optional<Path> find(Path dir) throws SpecException {
    List<Path> found = FILE_NAMES.stream().map(dir::resolve).filter(Files::isRegularFile).toList();
    if (found.size() > 1) {
      throw new SpecException(
          dir,
          0,
          "",
          "several spec files: "
              + String.join(", ", found.stream().map(p -> p.getFileName().toString()).toList()),
          "keep one, or choose one with -f FILE");
    }
    return found.stream().findFirst();
  }

  /** Loads and checks a spec; the format follows from the file name's extension. */
  public static Project load(Path file) throws SpecException {
    return load(file, SpecCache.none());
  }

  /**
   * Loads and checks a spec, through {@code cache}: an unchanged spec is not evaluated again, and
   * gives the very same {@link Project}.
   */
  public static Project load(Path file, SpecCache cache) throws SpecException {
    Path spec = file.toAbsolutePath().normalize();
    SpecFormat format =
        SpecFormat.of(spec)
            .orElseThrow(
                () ->
                    new SpecException(
                        spec,
                        0,
                        "",
                        "unknown kind of spec file",
                        "use a .pkl, .yaml, .yml or .json file"));
    if (!Files.isRegularFile(spec)) {
      throw new SpecException(spec, 0, "", "the spec file does not exist", "check the path");
    }
    Optional<SpecValues> cached = cache.lookup(spec, format);
    if (cached.isPresent()) {
      try {
        return ProjectReader.read(spec, cached.get());
      } catch (RuntimeException e) {
        // Values that do not fit this rig's reader are not trusted: evaluate as if uncached.
      }
    }
    SpecInputs inputs = new SpecInputs();
    SpecValues values = evaluate(spec, format, inputs);
    Project project = ProjectReader.read(spec, values);
    cache.store(spec, format, inputs, values);
    return project;
  }

  private static SpecValues evaluate(Path spec, SpecFormat format, SpecInputs inputs)
      throws SpecException {
    Optional<DataNode> data = Optional.empty();
    if (format != SpecFormat.PKL) {
      byte[] content;
      try {
        content = Files.readAllBytes(spec);
      } catch (IOException e) {
        throw new SpecException(spec, 0, "", "cannot read the file: " + e.getMessage(), "", e);
      }
      // Pkl sees only text generated from these bytes, so they are the input to record.
      inputs.add(
          new SpecInput(SpecInput.Kind.SPEC_FILE, spec.toString(), "", SpecInputs.digest(content)));
      data = DataParser.parse(spec, content, format);
    }
    try (SpecEvaluator evaluator = SpecEvaluator.forSpec(spec.getParent(), inputs)) {
      SpecSource source =
          format == SpecFormat.PKL
              ? SpecSource.ofPkl(spec)
              : DataSpecTranslator.translate(
                  spec, format, data, new SpecSchema(evaluator.schema()));
      PModule module;
      try {
        module = evaluator.evaluate(source.module());
      } catch (PklException e) {
        throw new PklErrorTranslator(source, evaluator).translate(e, evaluator.errorFrames());
      }
      if (format == SpecFormat.PKL && !amendsSchema(evaluator.schemaOf(source.module()))) {
        throw new SpecException(
            spec,
            1,
            "",
            "the spec does not amend rig's schema",
            "make its first line: amends \"modulepath:" + SpecEvaluator.SCHEMA_PATH + "\"");
      }
      return SpecValues.of(module);
    }
  }

  private static boolean amendsSchema(ModuleSchema module) {
    for (ModuleSchema at = module; at != null; at = at.getSupermodule()) {
      if (at.getModuleUri().toString().equals(SpecEvaluator.SCHEMA_URI)) {
        return true;
      }
    }
    return false;
  }
}
