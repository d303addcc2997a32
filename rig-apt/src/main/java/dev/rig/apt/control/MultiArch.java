package dev.rig.apt.control;

import java.util.Locale;

/** The Multi-Arch field: how a package may satisfy dependencies of other architectures. */
public enum MultiArch {
  NO,
  SAME,
  FOREIGN,
  ALLOWED;

  public static MultiArch parse(String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "", "no" -> NO;
      case "same" -> SAME;
      case "foreign" -> FOREIGN;
      case "allowed" -> ALLOWED;
      default -> throw new IllegalArgumentException("unknown Multi-Arch value '" + value + "'");
    };
  }
}
