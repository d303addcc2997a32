package dev.rig.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.pkl.core.ModuleSource;
import org.pkl.core.PClass;
import org.pkl.core.PType;

/**
 * Writes a YAML or JSON spec as a Pkl module that amends rig's schema, one member per line, and
 * remembers the source line of each generated line. Pkl then checks plain data exactly as it checks
 * a {@code rig.pkl}, and its errors can be mapped back to the data file.
 *
 * <p>Data replaces: a list or mapping given in YAML is the whole value ({@code exposedPorts:
 * ["8080/tcp"]} drops the default {@code 22/tcp}), while an image given in YAML starts from the
 * defaults and changes only the options it names, as amending does in Pkl.
 */
final class DataSpecTranslator {
  private final SpecSchema schema;
  private final List<String> lines = new ArrayList<>();
  private final List<Integer> origins = new ArrayList<>();

  private DataSpecTranslator(SpecSchema schema) {
    this.schema = schema;
  }

  static SpecSource translate(
      Path file, SpecFormat format, Optional<DataNode> root, SpecSchema schema)
      throws SpecException {
    DataSpecTranslator translator = new DataSpecTranslator(schema);
    translator.emit("", "amends " + PklSyntax.string("modulepath:" + SpecEvaluator.SCHEMA_PATH), 1);
    if (root.isPresent()) {
      if (!(root.get() instanceof DataNode.MapNode map)) {
        throw new SpecException(
            file,
            root.get().line(),
            "",
            "the spec is not a mapping of options",
            "start with the images key, e.g. \"images:\" followed by one entry per image");
      }
      translator.properties(map, schema.moduleClass(), "");
    }
    int[] map = translator.origins.stream().mapToInt(Integer::intValue).toArray();
    ModuleSource module = ModuleSource.create(file.toUri(), String.join("\n", translator.lines));
    return new SpecSource(
        file, format, module, line -> line >= 1 && line <= map.length ? map[line - 1] : 0);
  }

  private void properties(DataNode.MapNode map, PClass pclass, String indent) {
    for (DataNode.Entry entry : map.entries()) {
      PClass.Property property = pclass.getAllProperties().get(entry.key());
      // An unknown name is still written out: Pkl then reports it with its usual message.
      Optional<Shape> shape = Optional.ofNullable(property).map(p -> Shape.of(p.getType()));
      String name = PklSyntax.identifier(entry.key());
      // A nullable object (default null) has no default to amend: write a new instance.
      boolean fresh = property != null && property.getType() instanceof PType.Nullable;
      member(indent, fresh ? "=" + name : name, entry.line(), entry.value(), shape);
    }
  }

  /**
   * Writes one member. {@code name} is a property name, an entry key {@code ["k"]}, or empty for a
   * listing element; {@code shape} is what the schema expects there, if known.
   */
  private void member(String indent, String name, int line, DataNode value, Optional<Shape> shape) {
    // "=NAME": a property that must be assigned a new instance rather than amended.
    boolean fresh = name.startsWith("=");
    name = fresh ? name.substring(1) : name;
    String assign = name.isEmpty() ? "" : name + " = ";
    if (value instanceof DataNode.Scalar scalar
        && scalar.value() == null
        && shape.orElse(null) instanceof Shape.ObjectShape) {
      // "foo:" with nothing after it, in YAML, asks for an image with every option at its default.
      value = new DataNode.MapNode(List.of(), scalar.line());
    }
    if (value instanceof DataNode.MapNode map) {
      if (shape.orElse(null) instanceof Shape.ObjectShape object) {
        // A property amends its default object; an entry or element is a new instance, named
        // explicitly because Pkl infers nothing inside an explicit "new Mapping" or "new Listing".
        String opening =
            fresh || name.startsWith("[") || name.isEmpty()
                ? assign + "new " + object.pclass().getSimpleName() + " {"
                : name + " {";
        open(indent, opening, line, map.entries().isEmpty());
        properties(map, object.pclass(), indent + "  ");
        close(indent, line, map.entries().isEmpty());
      } else {
        Optional<Shape> valueShape =
            shape
                .filter(Shape.MappingShape.class::isInstance)
                .map(s -> Shape.of(((Shape.MappingShape) s).valueType()));
        // "new Mapping" replaces the default, where "new {}" would amend it.
        String type =
            shape.orElse(null) instanceof Shape.MappingShape ? "new Mapping {" : "new Dynamic {";
        open(indent, assign + type, line, map.entries().isEmpty());
        for (DataNode.Entry entry : map.entries()) {
          String key = "[" + PklSyntax.string(entry.key()) + "]";
          member(indent + "  ", key, entry.line(), entry.value(), valueShape);
        }
        close(indent, line, map.entries().isEmpty());
      }
    } else if (value instanceof DataNode.ListNode list) {
      Optional<Shape> elementShape =
          shape
              .filter(Shape.ListingShape.class::isInstance)
              .map(s -> Shape.of(((Shape.ListingShape) s).elementType()));
      open(indent, assign + "new Listing {", line, list.items().isEmpty());
      for (DataNode item : list.items()) {
        member(indent + "  ", "", item.line(), item, elementShape);
      }
      close(indent, line, list.items().isEmpty());
    } else if (value instanceof DataNode.Scalar scalar) {
      emit(indent, assign + literal(scalar.value()), scalar.line());
    }
  }

  private void open(String indent, String text, int line, boolean empty) {
    emit(indent, empty ? text + "}" : text, line);
  }

  private void close(String indent, int line, boolean empty) {
    if (!empty) {
      emit(indent, "}", line);
    }
  }

  private void emit(String indent, String text, int sourceLine) {
    lines.add(indent + text);
    origins.add(sourceLine);
  }

  private static String literal(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String string) {
      return PklSyntax.string(string);
    }
    if (value instanceof Double number) {
      if (number.isNaN()) {
        return "NaN";
      }
      if (number.isInfinite()) {
        return number > 0 ? "Infinity" : "-Infinity";
      }
    }
    return String.valueOf(value);
  }
}
