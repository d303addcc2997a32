package dev.rig.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Damages a valid sample the ways real bad input looks: flipped bits, cut-off downloads, stray
 * delimiters, duplicated runs, huge numbers, deep nesting. Driven by a seeded {@link Random} so a
 * failing case can be replayed from its seed.
 */
public final class Mutations {
  private static final String[] HUGE = {
    "99999999999999999999999", "-1", "2147483648", "9223372036854775808", "0x7f", "1e309", "NaN"
  };

  private Mutations() {}

  /** One to four mutations of {@code sample}; {@code delimiters} are the format's own. */
  public static byte[] mutate(byte[] sample, String delimiters, Random random) {
    byte[] out = sample;
    int rounds = 1 + random.nextInt(4);
    for (int i = 0; i < rounds; i++) {
      out = once(out, delimiters, random);
    }
    return out;
  }

  /** The same for text formats. */
  public static String mutate(String sample, String delimiters, Random random) {
    return new String(
        mutate(sample.getBytes(StandardCharsets.UTF_8), delimiters, random),
        StandardCharsets.UTF_8);
  }

  private static byte[] once(byte[] in, String delimiters, Random random) {
    int at = in.length == 0 ? 0 : random.nextInt(in.length + 1);
    switch (random.nextInt(7)) {
      case 0 -> {
        if (in.length == 0) {
          return in;
        }
        byte[] out = in.clone();
        int i = Math.min(at, in.length - 1);
        out[i] ^= (byte) (1 << random.nextInt(8));
        return out;
      }
      case 1 -> {
        byte[] out = new byte[at];
        System.arraycopy(in, 0, out, 0, at);
        return out;
      }
      case 2 -> {
        char c = delimiters.charAt(random.nextInt(delimiters.length()));
        return splice(
            in,
            at,
            0,
            String.valueOf(c).repeat(1 + random.nextInt(3)).getBytes(StandardCharsets.UTF_8));
      }
      case 3 -> {
        int len = in.length - at == 0 ? 0 : random.nextInt(Math.min(64, in.length - at) + 1);
        byte[] run = new byte[len];
        System.arraycopy(in, at, run, 0, len);
        return splice(in, at, 0, run);
      }
      case 4 -> {
        return splice(
            in,
            at,
            digitsAt(in, at),
            HUGE[random.nextInt(HUGE.length)].getBytes(StandardCharsets.UTF_8));
      }
      case 5 -> {
        char open = delimiters.charAt(random.nextInt(delimiters.length()));
        return splice(
            in, at, 0, String.valueOf(open).repeat(2000).getBytes(StandardCharsets.UTF_8));
      }
      default -> {
        int len = in.length - at == 0 ? 0 : random.nextInt(Math.min(16, in.length - at) + 1);
        return splice(in, at, len, new byte[0]);
      }
    }
  }

  /** How many ASCII digits start at {@code at}, so a number is replaced whole. */
  private static int digitsAt(byte[] in, int at) {
    int n = 0;
    while (at + n < in.length && in[at + n] >= '0' && in[at + n] <= '9') {
      n++;
    }
    return n;
  }

  private static byte[] splice(byte[] in, int at, int remove, byte[] insert) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + insert.length);
    out.write(in, 0, at);
    out.write(insert, 0, insert.length);
    out.write(in, at + remove, in.length - at - remove);
    return out.toByteArray();
  }
}
