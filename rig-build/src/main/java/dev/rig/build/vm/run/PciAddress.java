package dev.rig.build.vm.run;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A PCI device's address as sysfs names it, {@code DOMAIN:BUS:DEVICE.FUNCTION} ({@code
 * 0000:65:00.0}); the short form lspci prints ({@code 65:00.0}) gets domain 0000.
 */
public record PciAddress(String value) {
  private static final Pattern FULL =
      Pattern.compile("[0-9a-f]{4}:[0-9a-f]{2}:[0-1][0-9a-f]\\.[0-7]");

  public PciAddress {
    if (!FULL.matcher(value).matches()) {
      throw new IllegalArgumentException("not a PCI address: " + value);
    }
  }

  /** Parses what a user types; says the expected form when it is not a PCI address. */
  public static PciAddress parse(String text) {
    String lower = text.strip().toLowerCase(Locale.ROOT);
    String full = lower.chars().filter(c -> c == ':').count() == 1 ? "0000:" + lower : lower;
    if (!FULL.matcher(full).matches()) {
      throw new IllegalArgumentException(
          "--gpu "
              + text
              + " is not a PCI address; give it as lspci -D prints it, DOMAIN:BUS:DEVICE.FUNCTION"
              + " (for example 0000:65:00.0)");
    }
    return new PciAddress(full);
  }

  @Override
  public String toString() {
    return value;
  }
}
