package dev.rig.spec;

import java.util.Optional;
import org.pkl.core.PClass;
import org.pkl.core.PklException;

/** Reads the default value of a schema property by evaluating it, so no default is kept twice. */
final class SchemaDefaults {
  private SchemaDefaults() {}

  /** The default as Pkl source text ({@code "latest"}, {@code null}, ...), or empty if required. */
  static Optional<String> of(SpecEvaluator evaluator, PClass owner, String property) {
    String member = PklSyntax.identifier(property);
    String expression =
        owner.isModuleClass() ? member : "new " + owner.getSimpleName() + " {}." + member;
    try {
      return Optional.of(PklSyntax.value(evaluator.evaluateInSchema(expression), ""));
    } catch (PklException e) {
      // No value, or an implicit one (an empty listing) that the option's constraint refuses:
      // either way the user must write it.
      if (e.getMessage().contains("but its value is undefined")
          || e.getMessage().contains("Type constraint")) {
        return Optional.empty();
      }
      throw new IllegalStateException("cannot evaluate the default of " + property, e);
    }
  }
}
