package dev.rig.apt.version;

/** A version relation as written in dependency fields. */
public enum Relation {
  EARLIER("<<"),
  EARLIER_OR_EQUAL("<="),
  EQUAL("="),
  LATER_OR_EQUAL(">="),
  LATER(">>");

  private final String symbol;

  Relation(String symbol) {
    this.symbol = symbol;
  }

  public String symbol() {
    return symbol;
  }

  /**
   * Parses an operator. The obsolete {@code <} and {@code >} mean {@code <=} and {@code >=}, as
   * dpkg still reads them in old control files.
   */
  public static Relation parse(String op) {
    return switch (op) {
      case "<<" -> EARLIER;
      case "<=", "<" -> EARLIER_OR_EQUAL;
      case "=" -> EQUAL;
      case ">=", ">" -> LATER_OR_EQUAL;
      case ">>" -> LATER;
      default -> throw new IllegalArgumentException("unknown version relation '" + op + "'");
    };
  }

  /** True when {@code candidate RELATION reference} holds. */
  public boolean holds(DebianVersion candidate, DebianVersion reference) {
    int c = candidate.compareTo(reference);
    return switch (this) {
      case EARLIER -> c < 0;
      case EARLIER_OR_EQUAL -> c <= 0;
      case EQUAL -> c == 0;
      case LATER_OR_EQUAL -> c >= 0;
      case LATER -> c > 0;
    };
  }

  @Override
  public String toString() {
    return symbol;
  }
}
