package dev.rig.spec;

import java.util.Optional;
import org.pkl.core.ModuleSchema;
import org.pkl.core.PClass;
import org.pkl.core.PType;

/** rig's schema as pkl-core reflects it: which classes and properties exist, and their types. */
final class SpecSchema {
  private final ModuleSchema schema;

  SpecSchema(ModuleSchema schema) {
    this.schema = schema;
  }

  ModuleSchema module() {
    return schema;
  }

  PClass moduleClass() {
    return schema.getModuleClass();
  }

  /** A class of the schema by its Pkl name, e.g. {@code rig.Project#Image} or {@code Image}. */
  Optional<PClass> classNamed(String name) {
    String simple = name.substring(name.indexOf('#') + 1);
    return Optional.ofNullable(schema.getClasses().get(simple));
  }

  /** The kind of value at {@code path}, or empty when the path leaves the schema. */
  Optional<Shape> shapeAt(OptionPath path) {
    Shape shape = new Shape.ObjectShape(moduleClass());
    for (OptionPath.Segment segment : path.segments()) {
      Optional<PType> type = step(shape, segment);
      if (type.isEmpty()) {
        return Optional.empty();
      }
      shape = Shape.of(type.get());
    }
    return Optional.of(shape);
  }

  /** The class that declares the property a path ends in, if it ends in one the schema knows. */
  Optional<PClass> ownerOf(OptionPath path) {
    if (path.isRoot()
        || !(path.segments().get(path.segments().size() - 1)
            instanceof OptionPath.Property property)) {
      return Optional.empty();
    }
    OptionPath parent = new OptionPath(path.segments().subList(0, path.segments().size() - 1));
    return shapeAt(parent)
        .filter(Shape.ObjectShape.class::isInstance)
        .map(shape -> ((Shape.ObjectShape) shape).pclass())
        .filter(pclass -> pclass.getAllProperties().containsKey(property.name()));
  }

  private static Optional<PType> step(Shape shape, OptionPath.Segment segment) {
    if (shape instanceof Shape.ObjectShape object
        && segment instanceof OptionPath.Property property) {
      PClass.Property declared = object.pclass().getAllProperties().get(property.name());
      return Optional.ofNullable(declared).map(PClass.Property::getType);
    }
    if (shape instanceof Shape.MappingShape mapping && segment instanceof OptionPath.Key) {
      return Optional.of(mapping.valueType());
    }
    if (shape instanceof Shape.ListingShape listing && segment instanceof OptionPath.Index) {
      return Optional.of(listing.elementType());
    }
    return Optional.empty();
  }
}
