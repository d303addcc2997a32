package dev.rig.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The whole machine's CPU time so far, busy and idle, from the first line of /proc/stat. Read
 * around a step, it says whether the step kept every core busy (bound by CPU: only less work makes
 * it faster) or left cores idle (bound by one thread, or by waiting), which a wall-clock ratio
 * alone cannot tell.
 *
 * @param busyTicks user, nice, system, irq, softirq and steal time (guest time is inside user)
 * @param idleTicks idle and iowait time
 */
record CpuTime(long busyTicks, long idleTicks) {
  /** /proc/stat counts in USER_HZ, which Linux fixes at 100 on the machines rig-bench runs on. */
  private static final double TICKS_PER_SECOND = 100;

  private static final Path STAT = Path.of("/proc/stat");

  /** Core-seconds spent busy and idle between two readings. */
  record Spent(double busy, double idle) {
    Spent plus(Spent other) {
      return new Spent(busy + other.busy, idle + other.idle);
    }

    /** {@code 98 busy / 4 idle core-s}. */
    String text() {
      return String.format(Locale.ROOT, "%.0f busy / %.0f idle core-s", busy, idle);
    }
  }

  /** Now, or empty where /proc/stat cannot be read (then rows leave the figure out). */
  static Optional<CpuTime> now() {
    try {
      List<String> lines = Files.readAllLines(STAT);
      return lines.isEmpty() ? Optional.empty() : parse(lines.get(0));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The aggregate {@code cpu} line: {@code cpu user nice system idle iowait irq softirq steal ...}.
   */
  static Optional<CpuTime> parse(String line) {
    String[] f = line.trim().split("\\s+");
    if (f.length < 9 || !f[0].equals("cpu")) {
      return Optional.empty();
    }
    long[] v = new long[8];
    for (int i = 0; i < 8; i++) {
      v[i] = Long.parseLong(f[i + 1]);
    }
    return Optional.of(new CpuTime(v[0] + v[1] + v[2] + v[5] + v[6] + v[7], v[3] + v[4]));
  }

  /** What was spent from {@code earlier} to this reading. */
  Spent since(CpuTime earlier) {
    return new Spent(
        (busyTicks - earlier.busyTicks) / TICKS_PER_SECOND,
        (idleTicks - earlier.idleTicks) / TICKS_PER_SECOND);
  }

  /** What was spent from {@code start} until now; empty when either reading is missing. */
  static Optional<Spent> since(Optional<CpuTime> start) {
    return start.flatMap(s -> now().map(n -> n.since(s)));
  }
}
