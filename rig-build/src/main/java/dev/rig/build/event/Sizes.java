package dev.rig.build.event;

import java.time.Duration;
import java.util.Locale;

/** Sizes and times as progress lines write them: {@code 1.5 MiB}, {@code 0.42s}. */
public final class Sizes {
  private Sizes() {}

  public static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = n;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  public static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.2fs", d.toNanos() / 1e9);
  }
}
