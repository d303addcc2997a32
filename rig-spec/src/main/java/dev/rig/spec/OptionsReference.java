package dev.rig.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pkl.core.PClass;
import org.pkl.core.TypeAlias;

/**
 * The reference of every spec option, generated from the schema itself (pkl-core's reflection of
 * {@code modulepath:/rig/Project.pkl}, defaults read by evaluating them), so it cannot drift from
 * what rig accepts. {@code rig options} prints it and {@code docs/options.md} is made from it.
 */
public final class OptionsReference {
  private OptionsReference() {}

  /** Every option, in schema order, nested options after the one holding them. */
  public static List<OptionDoc> options() {
    return Reference.INSTANCE.options;
  }

  /** The documentation of each named type the options use (e.g. {@code Port}), by name. */
  public static Map<String, String> types() {
    return Reference.INSTANCE.types;
  }

  /** The reference as a Markdown document. */
  public static String markdown() {
    StringBuilder text = new StringBuilder();
    text.append("# rig spec options\n\n")
        .append("<!-- Generated from rig's schema (modulepath:/rig/Project.pkl) by `rig options`;")
        .append(" do not edit. -->\n\n")
        .append(Reference.INSTANCE.moduleDoc)
        .append("\n\n");
    for (OptionDoc option : options()) {
      text.append("## `").append(option.path()).append("`\n\n");
      text.append(option.doc()).append("\n\n");
      text.append("- Type: `").append(option.type()).append("`\n");
      String value = option.defaultValue().orElse(null);
      if (value == null) {
        text.append("- Default: none (required)\n\n");
      } else if (value.contains("\n")) {
        text.append("- Default:\n\n  ```pkl\n  ")
            .append(value.replace("\n", "\n  "))
            .append("\n  ```\n\n");
      } else {
        text.append("- Default: `").append(value).append("`\n\n");
      }
    }
    text.append("## Types\n\n");
    types()
        .forEach(
            (name, doc) ->
                text.append("### `").append(name).append("`\n\n").append(doc).append("\n\n"));
    return text.toString().stripTrailing() + "\n";
  }

  /** The reference as plain text for a terminal: one block per option. */
  public static String text() {
    StringBuilder text = new StringBuilder();
    for (OptionDoc option : options()) {
      text.append(option.path()).append(": ").append(option.type());
      text.append(option.defaultValue().map(v -> " = " + v).orElse(" (required)")).append('\n');
      for (String line : option.doc().split("\n")) {
        text.append("    ").append(line).append('\n');
      }
      text.append('\n');
    }
    return text.toString();
  }

  /** The reference, read from the schema once: it is a resource, fixed for the process. */
  private static final class Reference {
    static final Reference INSTANCE = new Reference();

    final String moduleDoc;
    final List<OptionDoc> options = new ArrayList<>();
    final Map<String, String> types = new java.util.LinkedHashMap<>();

    private Reference() {
      try (SpecEvaluator evaluator = SpecEvaluator.forSchema()) {
        SpecSchema schema = new SpecSchema(evaluator.schema());
        moduleDoc = docOf(schema.module().getDocComment());
        collect(evaluator, schema.moduleClass(), "");
        for (TypeAlias alias : schema.module().getTypeAliases().values()) {
          types.put(
              alias.getSimpleName(),
              docOf(alias.getDocComment())
                  + "\n\nDefined as `"
                  + PklTypes.render(alias.getAliasedType())
                  + "`.");
        }
      }
    }

    private void collect(SpecEvaluator evaluator, PClass pclass, String prefix) {
      for (PClass.Property property : pclass.getProperties().values()) {
        if (property.isHidden()) {
          continue;
        }
        String name = property.getSimpleName();
        String path = prefix + name;
        options.add(
            new OptionDoc(
                path,
                PklTypes.render(property.getType()),
                SchemaDefaults.of(evaluator, pclass, name),
                docOf(property.getDocComment())));
        Shape shape = Shape.of(property.getType());
        if (shape instanceof Shape.ObjectShape object) {
          collect(evaluator, object.pclass(), path + ".");
        } else if (shape instanceof Shape.MappingShape mapping
            && Shape.of(mapping.valueType()) instanceof Shape.ObjectShape object) {
          collect(evaluator, object.pclass(), path + ".<name>.");
        } else if (shape instanceof Shape.ListingShape listing
            && Shape.of(listing.elementType()) instanceof Shape.ObjectShape object) {
          collect(evaluator, object.pclass(), path + "[].");
        }
      }
    }

    private static String docOf(String doc) {
      return doc == null ? "" : doc.strip();
    }
  }
}
