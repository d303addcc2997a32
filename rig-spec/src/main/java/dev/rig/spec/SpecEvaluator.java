package dev.rig.spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.pkl.core.Evaluator;
import org.pkl.core.EvaluatorBuilder;
import org.pkl.core.ModuleSchema;
import org.pkl.core.ModuleSource;
import org.pkl.core.PModule;
import org.pkl.core.StackFrame;
import org.pkl.core.module.ModuleKeyFactories;
import org.pkl.core.resource.ResourceReader;
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

  /**
   * The only external properties a spec can read ({@code prop:}); nothing else from the environment
   * reaches an evaluation: no {@code env:} reader, no system properties.
   */
  static final Map<String, String> SPEC_PROPERTIES = Map.of("rig.checkHostPaths", "true");

  /**
   * An evaluator for a spec in {@code specDir}: host paths are checked relative to it. Every file
   * module it loads and every resource it reads is noted in {@code inputs}.
   */
  static SpecEvaluator forSpec(Path specDir, SpecInputs inputs) {
    return create(specDir, inputs);
  }

  /** An evaluator for the schema alone (options reference): no host to check paths against. */
  static SpecEvaluator forSchema() {
    return create(null, new SpecInputs());
  }

  /**
   * The resource readers a spec in {@code specDir} is evaluated with, by URI scheme, for asking
   * them again whether a cached spec's reads still give the same answers. {@code prop:} is not
   * among them: its answers are {@link #SPEC_PROPERTIES}.
   */
  static Map<String, ResourceReader> replayReaders(Path specDir) {
    ResourceReader file = ResourceReaders.file();
    ResourceReader host = new HostPathReader(specDir);
    return Map.of(file.getUriScheme(), file, host.getUriScheme(), host);
  }

  private static SpecEvaluator create(Path specDir, SpecInputs inputs) {
    List<StackFrame> frames = new ArrayList<>();
    EvaluatorBuilder builder =
        EvaluatorBuilder.unconfigured()
            .addModuleKeyFactory(ModuleKeyFactories.standardLibrary)
            .addModuleKeyFactory(ModuleKeyFactories.classPath(SpecEvaluator.class.getClassLoader()))
            .addModuleKeyFactory(RecordingModuleKeys.factory(ModuleKeyFactories.file, inputs))
            .addResourceReader(ResourceReaders.externalProperty())
            .addResourceReader(new RecordingResourceReader(ResourceReaders.file(), inputs))
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
          .addResourceReader(new RecordingResourceReader(new HostPathReader(specDir), inputs))
          .setExternalProperties(SPEC_PROPERTIES);
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
