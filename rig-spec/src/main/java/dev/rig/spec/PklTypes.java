package dev.rig.spec;

import java.util.List;
import org.pkl.core.PType;

/** Writes a schema type the way it is declared, e.g. {@code Listing<Port>} or {@code Int(...)}. */
final class PklTypes {
  private PklTypes() {}

  static String render(PType type) {
    if (type instanceof PType.Class pclass) {
      return pclass.getPClass().getSimpleName() + arguments(pclass.getTypeArguments());
    }
    if (type instanceof PType.Alias alias) {
      return alias.getTypeAlias().getSimpleName() + arguments(alias.getTypeArguments());
    }
    if (type instanceof PType.Constrained constrained) {
      return render(constrained.getBaseType())
          + "("
          + String.join(", ", constrained.getConstraints())
          + ")";
    }
    if (type instanceof PType.Nullable nullable) {
      return render(nullable.getBaseType()) + "?";
    }
    if (type instanceof PType.StringLiteral literal) {
      return PklSyntax.string(literal.getLiteral());
    }
    if (type instanceof PType.Union union) {
      return String.join(" | ", union.getElementTypes().stream().map(PklTypes::render).toList());
    }
    if (type instanceof PType.TypeVariable variable) {
      return variable.getName();
    }
    if (type == PType.NOTHING) {
      return "nothing";
    }
    if (type == PType.MODULE) {
      return "module";
    }
    return "unknown";
  }

  private static String arguments(List<PType> arguments) {
    return arguments.isEmpty()
        ? ""
        : "<" + String.join(", ", arguments.stream().map(PklTypes::render).toList()) + ">";
  }
}
