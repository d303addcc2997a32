package dev.rig.bench;

import dev.rig.bench.Table.Verdict;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * A row's goal from issue 15: a limit on rig's figure (seconds, bytes), or on its ratio to the
 * reference measured in the same run. A figure that could not be taken (a feature rig does not have
 * yet) is judged "n/a", never met.
 *
 * @param text what the goal column prints
 * @param maxRatio the largest rig / reference allowed, when the goal is a ratio
 * @param maxValue the largest figure allowed, when the goal is a limit on rig's own figure
 */
record Goal(String text, OptionalDouble maxRatio, OptionalDouble maxValue) {

  /** rig's figure at most {@code ratio} times the reference's. */
  static Goal ratioAtMost(double ratio) {
    return new Goal(
        String.format(Locale.ROOT, "≤ %s×", trim(ratio)),
        OptionalDouble.of(ratio),
        OptionalDouble.empty());
  }

  /** rig's figure at most {@code limit} (in the row's unit), printed as {@code text}. */
  static Goal atMost(double limit, String text) {
    return new Goal(text, OptionalDouble.empty(), OptionalDouble.of(limit));
  }

  Verdict judge(OptionalDouble rig, OptionalDouble reference) {
    if (rig.isEmpty()) {
      return Verdict.NOT_MEASURED;
    }
    if (maxRatio.isPresent()) {
      if (reference.isEmpty() || reference.getAsDouble() <= 0) {
        return Verdict.NOT_MEASURED;
      }
      return Verdict.of(rig.getAsDouble() / reference.getAsDouble() <= maxRatio.getAsDouble());
    }
    return Verdict.of(rig.getAsDouble() <= maxValue.orElse(Double.POSITIVE_INFINITY));
  }

  /** 0.8 → "0.8", 1.0 → "1.0": one decimal at least, no trailing zeros beyond it. */
  private static String trim(double value) {
    String s = String.format(Locale.ROOT, "%.2f", value);
    return s.endsWith("0") ? s.substring(0, s.length() - 1) : s;
  }
}
