package dev.rig.spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.pkl.core.Evaluator;
import org.pkl.core.EvaluatorBuilder;
import org.pkl.core.ModuleSchema;
import org.pkl.core.ModuleSource;
import org.pkl.core.PModule;
import org.pkl.core.StackFrame;
import org.pkl.core.module.ModuleKeyFactories;
import org.pkl.core.resource.ResourceReaders;

/**
 * A Pkl evaluator set up for rig: the standard library ({@code pkl:}), rig's schema from the class
 * path ({@code modulepath:}) and the user's own files ({@code file:}); no network. It also records
 * the stack frames of the last error, which Pkl only offers as rendered text otherwise.
 */
final class SpecEvaluator implements AutoCloseable {
  static final String SCHEMA_PATH = "/rig/Project.pkl";
  static final ModuleSource SCHEMA = ModuleSource.modulePath(SCHEMA_PATH);
  static final String SCHEMA_URI = SCHEMA.getUri().toString();

  private final Evaluator evaluator;
  private final List<StackFrame> frames;

  private SpecEvaluator(Evaluator evaluator, List<StackFrame> frames) {
    this.evaluator = evaluator;
    this.frames = frames;
  }

  /** An evaluator for a spec in {@code specDir}: host paths are checked relative to it. */
  static SpecEvaluator forSpec(Path specDir) {
    return create(specDir);
  }

  /** An evaluator for the schema alone (options reference): no host to check paths against. */
  static SpecEvaluator forSchema() {
    return create(null);
  }

  private static SpecEvaluator create(Path specDir) {
    List<StackFrame> frames = new ArrayList<>();
    EvaluatorBuilder builder =
        EvaluatorBuilder.unconfigured()
            .addModuleKeyFactory(ModuleKeyFactories.standardLibrary)
            .addModuleKeyFactory(ModuleKeyFactories.classPath(SpecEvaluator.class.getClassLoader()))
            .addModuleKeyFactory(ModuleKeyFactories.file)
            .addResourceReader(ResourceReaders.externalProperty())
            .addResourceReader(ResourceReaders.file())
            // repl: is the module pkl-core wraps an expression in (defaults in the reference).
            .setAllowedModules(
                List.of(
                    Pattern.compile("pkl:"),
                    Pattern.compile("modulepath:"),
                    Pattern.compile("file:"),
                    Pattern.compile("repl:")))
            .setAllowedResources(
                List.of(
                    Pattern.compile("prop:"),
                    Pattern.compile("file:"),
                    Pattern.compile(HostPathReader.SCHEME + ":")))
            // A spec is small; a minute only stops a runaway recursion from hanging a build.
            .setTimeout(Duration.ofMinutes(1))
            .setColor(false)
            .setStackFrameTransformer(
                frame -> {
                  frames.add(frame);
                  return frame;
                });
    if (specDir != null) {
      builder
          .addResourceReader(new HostPathReader(specDir))
          .addExternalProperty("rig.checkHostPaths", "true");
    }
    return new SpecEvaluator(builder.build(), frames);
  }

  /** Evaluates a module; on a {@link org.pkl.core.PklException}, see {@link #errorFrames()}. */
  PModule evaluate(ModuleSource source) {
    frames.clear();
    return evaluator.evaluate(source);
  }

  /** Evaluates an expression in the context of rig's schema module. */
  Object evaluateInSchema(String expression) {
    frames.clear();
    return evaluator.evaluateExpression(SCHEMA, expression);
  }

  ModuleSchema schema() {
    return evaluator.evaluateSchema(SCHEMA);
  }

  ModuleSchema schemaOf(ModuleSource source) {
    return evaluator.evaluateSchema(source);
  }

  /** The stack frames of the last failed evaluation, innermost first. */
  List<StackFrame> errorFrames() {
    return List.copyOf(frames);
  }

  @Override
  public void close() {
    evaluator.close();
  }
}
