package dev.rig.spec;

import java.util.Optional;
import org.pkl.core.PClass;
import org.pkl.core.PClassInfo;
import org.pkl.core.PType;

/**
 * What kind of value a schema type asks for, seen through type aliases, constraints and {@code ?}:
 * what a YAML mapping or list must become in Pkl, and how the options reference walks the schema.
 */
sealed interface Shape {

  /** An instance of one of rig's classes (e.g. {@code Image}), written as properties. */
  record ObjectShape(PClass pclass) implements Shape {}

  /** A {@code Mapping<K, V>}, written as entries. */
  record MappingShape(PType valueType) implements Shape {}

  /** A {@code Listing<E>}, written as elements. */
  record ListingShape(PType elementType) implements Shape {}

  /** Anything else: strings, numbers, unions, and types this schema does not use. */
  record ScalarShape() implements Shape {}

  static Shape of(PType type) {
    Optional<PType.Class> unwrapped = classType(type);
    if (unwrapped.isEmpty()) {
      return new ScalarShape();
    }
    PClass pclass = unwrapped.get().getPClass();
    PClassInfo<?> info = pclass.getInfo();
    var arguments = unwrapped.get().getTypeArguments();
    if (info.equals(PClassInfo.Mapping)) {
      return new MappingShape(arguments.size() == 2 ? arguments.get(1) : PType.UNKNOWN);
    }
    if (info.equals(PClassInfo.Listing)) {
      return new ListingShape(arguments.size() == 1 ? arguments.get(0) : PType.UNKNOWN);
    }
    if (!pclass.isStandardLibraryMember()) {
      return new ObjectShape(pclass);
    }
    return new ScalarShape();
  }

  private static Optional<PType.Class> classType(PType type) {
    if (type instanceof PType.Class pclass) {
      return Optional.of(pclass);
    }
    if (type instanceof PType.Alias alias) {
      return classType(alias.getAliasedType());
    }
    if (type instanceof PType.Constrained constrained) {
      return classType(constrained.getBaseType());
    }
    if (type instanceof PType.Nullable nullable) {
      return classType(nullable.getBaseType());
    }
    return Optional.empty();
  }
}
