package dev.rig.build.cache;

import dev.rig.build.event.Sizes;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How far {@code rig cache gc} shrinks the cache: after removing what no recent build used, it
 * evicts the least recently used images' entries until the cache is at most {@code maxBytes} and
 * the cache's disk has at least {@code minFreeBytes} free.
 *
 * <p>Defaults: 20 GiB and 5 GiB. The GPU example takes about 5 GB (its .debs, their unpacked trees,
 * the configured root and the layers), so 20 GiB keeps three or four such images warm while staying
 * a small share of a laptop's disk; 5 GiB free is what one cold build of it needs to finish, so a
 * gc never leaves the disk too full for the next build.
 */
public record GcLimits(long maxBytes, long minFreeBytes) {
  public static final long DEFAULT_MAX = 20L << 30;
  public static final long DEFAULT_MIN_FREE = 5L << 30;

  private static final Pattern SIZE =
      Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([kmgt]?)(?:i?b)?", Pattern.CASE_INSENSITIVE);

  public GcLimits {
    if (maxBytes < 0 || minFreeBytes < 0) {
      throw new IllegalArgumentException("cache limits cannot be negative");
    }
  }

  public static GcLimits defaults() {
    return new GcLimits(DEFAULT_MAX, DEFAULT_MIN_FREE);
  }

  /**
   * The limits from the flags, else from {@code RIG_CACHE_MAX} / {@code RIG_CACHE_MIN_FREE}, else
   * the defaults.
   */
  public static GcLimits of(
      Optional<String> maxSize, Optional<String> minFree, Map<String, String> env) {
    return new GcLimits(
        size(maxSize, "--max-size", env, "RIG_CACHE_MAX").orElse(DEFAULT_MAX),
        size(minFree, "--min-free", env, "RIG_CACHE_MIN_FREE").orElse(DEFAULT_MIN_FREE));
  }

  private static Optional<Long> size(
      Optional<String> flag, String flagName, Map<String, String> env, String variable) {
    if (flag.isPresent()) {
      return Optional.of(parse(flag.get(), flagName));
    }
    String value = env.get(variable);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(parse(value, variable));
  }

  /**
   * {@code 20G}, {@code 512M}, {@code 1.5GiB}, {@code 0}: binary units (K = 1024); a bare number is
   * bytes.
   */
  public static long parse(String text, String where) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          where
              + " '"
              + text
              + "' is not a size: write a number of bytes or one with K, M, G or T (e.g. 20G)");
    }
    int shift =
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
          case "k" -> 10;
          case "m" -> 20;
          case "g" -> 30;
          case "t" -> 40;
          default -> 0;
        };
    BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1L << shift));
    if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException(where + " '" + text + "' is too large");
    }
    return bytes.longValue();
  }

  /**
   * The warning a build prints when the disk holding the cache has less than {@link
   * #DEFAULT_MIN_FREE} free (a build does not collect: it holds the cache shared, a gc needs it
   * alone), or none.
   */
  public static Optional<String> lowDiskWarning(Path cacheDir, long usableBytes) {
    if (usableBytes >= DEFAULT_MIN_FREE) {
      return Optional.empty();
    }
    return Optional.of(
        "the disk holding the cache "
            + cacheDir
            + " has "
            + Sizes.bytes(usableBytes)
            + " free, under "
            + Sizes.bytes(DEFAULT_MIN_FREE)
            + ": `rig cache` shows what the cache holds, `rig cache gc` removes what no recent"
            + " build used");
  }
}
