package dev.rig.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** One line about the machine: CPU model, cores, memory, kernel, Java. */
final class Machine {
  private Machine() {}

  static String describe() {
    String model = "unknown CPU";
    long memKib = 0;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          model = line.substring(line.indexOf(':') + 1).strip();
          break;
        }
      }
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          memKib = Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // Best effort: the figures are still useful without it.
    }
    return String.format(
        Locale.ROOT,
        "%s, %d cores available, %.0f GiB RAM, Linux %s, Java %s",
        model,
        Runtime.getRuntime().availableProcessors(),
        memKib / 1024.0 / 1024.0,
        System.getProperty("os.version"),
        System.getProperty("java.version"));
  }
}
