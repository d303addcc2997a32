package dev.rig.oci.compress;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * rig's own DEFLATE compressor (RFC 1951) for one block of a layer: LZ77 with hash chains and lazy
 * matching, then per-block the cheapest of dynamic Huffman, fixed Huffman and stored. It is pure
 * Java, so its output depends only on the input and the settings below, on every host and JDK (the
 * host's zlib varies: zlib-ng, Intel's and Cloudflare's forks all give other bytes). Matches are
 * extended eight bytes at a time and hashed on four bytes, and a long run of literals is searched
 * ever more sparsely (see {@link Settings#skipAfter}), which makes it two to three times as fast as
 * native zlib at level 6 for a size within a few per cent of it (smaller on the CUDA libraries).
 *
 * <p>Not thread-safe: each thread keeps its own instance (the tables are large and reused).
 */
final class BlockDeflater {
  /**
   * The settings are part of rig's output format: changing one changes every gzip digest.
   *
   * @param skipAfter after this many positions in a row found no match, the positions after each
   *     miss are passed over (emitted as literals, neither searched nor hashed): {@code (misses -
   *     skipAfter) >> skipShift} of them, at most {@code maxSkip}, until a match is found. Most of
   *     a GPU library's bytes are machine code that barely compresses, where searching every
   *     position costs the most and finds the least: on the GPU example's layers this is about 28%
   *     faster for 0.75% more bytes, and text barely changes (a run of 32 literals is rare there).
   */
  record Settings(
      int maxChain,
      int niceLength,
      int maxLazy,
      int goodLength,
      int blockTokens,
      int skipAfter,
      int skipShift,
      int maxSkip) {
    /** Close to gzip -6 in size on binaries and text, and faster. */
    static final Settings PINNED = new Settings(32, 128, 16, 8, 1 << 14, 32, 4, 64);
  }

  static final int WINDOW = 32 * 1024;
  private static final int MIN_MATCH = 4;
  private static final int MAX_MATCH = 258;
  private static final int HASH_BITS = 16;
  private static final int END_OF_BLOCK = 256;
  private static final int LITERAL_SYMBOLS = 286;
  private static final int DISTANCE_SYMBOLS = 30;
  private static final int[] CODE_LENGTH_ORDER = {
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15
  };
  private static final int[] LENGTH_BASE = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258
  };
  private static final int[] LENGTH_EXTRA = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0
  };
  private static final int[] DISTANCE_BASE = {
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049,
    3073, 4097, 6145, 8193, 12289, 16385, 24577
  };
  private static final int[] DISTANCE_EXTRA = {
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13
  };

  /** Length 3..258 to its index in LENGTH_BASE (symbol 257 + index). */
  private static final byte[] LENGTH_INDEX = new byte[MAX_MATCH + 1];

  static {
    for (int index = 0; index < LENGTH_BASE.length; index++) {
      int top = index + 1 < LENGTH_BASE.length ? LENGTH_BASE[index + 1] : MAX_MATCH + 1;
      for (int length = LENGTH_BASE[index]; length < top && length <= MAX_MATCH; length++) {
        LENGTH_INDEX[length] = (byte) index;
      }
    }
    LENGTH_INDEX[MAX_MATCH] = 28;
  }

  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final HuffmanCode FIXED_LITERALS = HuffmanCode.fixedLiterals();
  private static final HuffmanCode FIXED_DISTANCES = HuffmanCode.fixedDistances();

  private final Settings settings;
  private final int[] head = new int[1 << HASH_BITS];
  private int[] chain = new int[0];
  private byte[] window = new byte[0];
  private final int[] tokens;
  private int tokenCount;
  private final int[] literalFrequencies = new int[LITERAL_SYMBOLS];
  private final int[] distanceFrequencies = new int[DISTANCE_SYMBOLS];
  private final int[] codeLengthSymbols = new int[LITERAL_SYMBOLS + DISTANCE_SYMBOLS];
  private final BitSink out = new BitSink(1 << 20);

  BlockDeflater(Settings settings) {
    this.settings = settings;
    this.tokens = new int[settings.blockTokens()];
  }

  /**
   * Deflates {@code input[0, length)}, with {@code dictionary} as the preceding 32 KiB of the
   * stream. A block that is not the last ends with a sync flush (an empty stored block), so the
   * pieces of consecutive calls join into one DEFLATE stream; the last ends with a final block.
   */
  byte[] deflate(byte[] input, int length, byte[] dictionary, boolean last) {
    int start = Math.min(dictionary.length, WINDOW);
    int end = start + length;
    if (window.length < end + 8) {
      window = new byte[end + 8];
      chain = new int[end + 8];
    }
    System.arraycopy(dictionary, dictionary.length - start, window, 0, start);
    System.arraycopy(input, 0, window, start, length);
    Arrays.fill(window, end, end + 8, (byte) 0);
    out.reset();
    compress(start, end, last);
    if (!last) {
      out.bits(0, 3);
      out.alignToByte();
      out.bits(0xffff0000, 32);
    }
    out.alignToByte();
    return out.toByteArray();
  }

  private void compress(int start, int end, boolean last) {
    byte[] w = window;
    int[] heads = head;
    int[] prev = chain;
    Arrays.fill(heads, -1);
    for (int p = 0; p < start; p++) {
      if (p + MIN_MATCH <= end) {
        int h = hash(w, p);
        prev[p] = heads[h];
        heads[h] = p;
      }
    }
    int maxChain = settings.maxChain();
    int nice = settings.niceLength();
    int maxLazy = settings.maxLazy();
    int good = settings.goodLength();
    int skipAfter = settings.skipAfter();
    int skipShift = settings.skipShift();
    int maxSkip = settings.maxSkip();
    startBlock();
    int blockStart = start;
    boolean havePrevious = false;
    int previousLength = 0;
    int previousDistance = 0;
    int i = start;
    int misses = 0;
    while (i < end) {
      int length = 0;
      int distance = 0;
      if (i + MIN_MATCH <= end) {
        int h = hash(w, i);
        int candidate = heads[h];
        prev[i] = candidate;
        heads[h] = i;
        if (!havePrevious || previousLength < maxLazy) {
          int best = havePrevious ? previousLength : MIN_MATCH - 1;
          int maxLength = Math.min(MAX_MATCH, end - i);
          int limit = Math.max(0, i - WINDOW);
          int steps = havePrevious && previousLength >= good ? maxChain >> 2 : maxChain;
          int first = (int) INT.get(w, i);
          while (best < maxLength && candidate >= limit && steps-- > 0) {
            if (w[candidate + best] == w[i + best] && (int) INT.get(w, candidate) == first) {
              int found =
                  MIN_MATCH
                      + matchLength(w, candidate + MIN_MATCH, i + MIN_MATCH, maxLength - MIN_MATCH);
              if (found > best) {
                best = found;
                distance = i - candidate;
                if (found >= nice) {
                  break;
                }
              }
            }
            candidate = prev[candidate];
          }
          if (distance != 0) {
            length = best;
          }
        }
      }
      if (havePrevious) {
        if (length <= previousLength) {
          int matchStart = i - 1;
          addMatch(previousLength, previousDistance);
          int matchEnd = matchStart + previousLength;
          for (int p = i + 1; p < matchEnd; p++) {
            if (p + MIN_MATCH <= end) {
              int h = hash(w, p);
              prev[p] = heads[h];
              heads[h] = p;
            }
          }
          i = matchEnd;
          havePrevious = false;
          if (tokenCount == tokens.length) {
            writeBlock(blockStart, i, false);
            blockStart = i;
          }
          continue;
        }
        blockStart = literal(i - 1, blockStart);
      }
      if (length >= MIN_MATCH) {
        havePrevious = true;
        previousLength = length;
        previousDistance = distance;
        misses = 0;
      } else {
        havePrevious = false;
        blockStart = literal(i, blockStart);
        if (++misses > skipAfter) {
          int skip = Math.min(maxSkip, (misses - skipAfter) >> skipShift);
          for (int k = 0; k < skip && i + 1 < end; k++) {
            i++;
            blockStart = literal(i, blockStart);
          }
        }
      }
      i++;
    }
    if (havePrevious) {
      addMatch(previousLength, previousDistance);
    }
    if (tokenCount > 0 || last) {
      writeBlock(blockStart, end, last);
    }
  }

  private static int hash(byte[] w, int p) {
    return ((int) INT.get(w, p) * 0x9E3779B1) >>> (32 - HASH_BITS);
  }

  /** How many bytes, up to {@code max}, agree from positions a and b on; eight at a time. */
  private static int matchLength(byte[] w, int a, int b, int max) {
    int n = 0;
    while (n + 8 <= max) {
      long x = (long) LONG.get(w, a + n) ^ (long) LONG.get(w, b + n);
      if (x != 0) {
        return n + (Long.numberOfTrailingZeros(x) >>> 3);
      }
      n += 8;
    }
    while (n < max && w[a + n] == w[b + n]) {
      n++;
    }
    return n;
  }

  private void startBlock() {
    tokenCount = 0;
    Arrays.fill(literalFrequencies, 0);
    Arrays.fill(distanceFrequencies, 0);
  }

  /**
   * Adds the literal at window position {@code at}; when that fills the token buffer, writes the
   * block that ends after it. Returns where the current block starts.
   */
  private int literal(int at, int blockStart) {
    addLiteral(window[at]);
    if (tokenCount == tokens.length) {
      writeBlock(blockStart, at + 1, false);
      return at + 1;
    }
    return blockStart;
  }

  private void addLiteral(byte value) {
    int literal = value & 0xff;
    tokens[tokenCount++] = literal;
    literalFrequencies[literal]++;
  }

  private void addMatch(int length, int distance) {
    tokens[tokenCount++] = (distance << 9) | length;
    literalFrequencies[257 + LENGTH_INDEX[length]]++;
    distanceFrequencies[distanceCode(distance)]++;
  }

  static int distanceCode(int distance) {
    int d = distance - 1;
    if (d < 4) {
      return d;
    }
    int bits = 31 - Integer.numberOfLeadingZeros(d);
    return 2 * bits + ((d >>> (bits - 1)) & 1);
  }

  /** Writes the tokens gathered so far, covering window[from, to), as the cheapest block type. */
  private void writeBlock(int from, int to, boolean last) {
    literalFrequencies[END_OF_BLOCK] = 1;
    HuffmanCode literals = HuffmanCode.of(literalFrequencies, LITERAL_SYMBOLS, 15);
    HuffmanCode distances = HuffmanCode.of(distanceFrequencies, DISTANCE_SYMBOLS, 15);
    int literalCount = lastUsed(literals.lengths, 257);
    int distanceCount = lastUsed(distances.lengths, 1);
    int[] codeLengthFrequencies = new int[19];
    int symbolCount = runLengths(literals.lengths, literalCount, 0, codeLengthFrequencies);
    symbolCount = runLengths(distances.lengths, distanceCount, symbolCount, codeLengthFrequencies);
    HuffmanCode codeLengths = HuffmanCode.of(codeLengthFrequencies, 19, 7);
    int codeLengthCount = 4;
    for (int k = 0; k < 19; k++) {
      if (codeLengths.lengths[CODE_LENGTH_ORDER[k]] != 0) {
        codeLengthCount = Math.max(codeLengthCount, k + 1);
      }
    }
    long extraBits = 0;
    for (int index = 0; index < LENGTH_EXTRA.length; index++) {
      extraBits += (long) literalFrequencies[257 + index] * LENGTH_EXTRA[index];
    }
    for (int code = 0; code < DISTANCE_SYMBOLS; code++) {
      extraBits += (long) distanceFrequencies[code] * DISTANCE_EXTRA[code];
    }
    long dynamicBits = 3 + 5 + 5 + 4 + 3L * codeLengthCount + extraBits;
    for (int k = 0; k < symbolCount; k++) {
      int symbol = codeLengthSymbols[k] & 0xff;
      dynamicBits +=
          codeLengths.lengths[symbol]
              + (symbol == 16 ? 2 : symbol == 17 ? 3 : 0)
              + (symbol == 18 ? 7 : 0);
    }
    long fixedBits = 3 + extraBits;
    for (int s = 0; s < LITERAL_SYMBOLS; s++) {
      dynamicBits += (long) literalFrequencies[s] * literals.lengths[s];
      fixedBits += (long) literalFrequencies[s] * FIXED_LITERALS.lengths[s];
    }
    for (int code = 0; code < DISTANCE_SYMBOLS; code++) {
      dynamicBits += (long) distanceFrequencies[code] * distances.lengths[code];
      fixedBits += 5L * distanceFrequencies[code];
    }
    int storedLength = to - from;
    long storedBits = 8L * (storedLength + 5L * Math.max(1, (storedLength + 65534) / 65535)) + 10;
    if (storedBits <= dynamicBits && storedBits <= fixedBits) {
      writeStored(from, to, last);
    } else if (fixedBits <= dynamicBits) {
      out.bits(last ? 1 : 0, 1);
      out.bits(1, 2);
      writeTokens(FIXED_LITERALS, FIXED_DISTANCES);
    } else {
      out.bits(last ? 1 : 0, 1);
      out.bits(2, 2);
      out.bits(literalCount - 257, 5);
      out.bits(distanceCount - 1, 5);
      out.bits(codeLengthCount - 4, 4);
      for (int k = 0; k < codeLengthCount; k++) {
        out.bits(codeLengths.lengths[CODE_LENGTH_ORDER[k]], 3);
      }
      for (int k = 0; k < symbolCount; k++) {
        int symbol = codeLengthSymbols[k] & 0xff;
        int extra = codeLengthSymbols[k] >>> 8;
        out.bits(codeLengths.codes[symbol], codeLengths.lengths[symbol]);
        if (symbol == 16) {
          out.bits(extra, 2);
        } else if (symbol == 17) {
          out.bits(extra, 3);
        } else if (symbol == 18) {
          out.bits(extra, 7);
        }
      }
      writeTokens(literals, distances);
    }
    startBlock();
  }

  private void writeTokens(HuffmanCode literals, HuffmanCode distances) {
    int[] literalCodes = literals.codes;
    int[] literalLengths = literals.lengths;
    int[] distanceCodes = distances.codes;
    int[] distanceLengths = distances.lengths;
    for (int k = 0; k < tokenCount; k++) {
      int token = tokens[k];
      if (token < 512) {
        out.bits(literalCodes[token], literalLengths[token]);
      } else {
        // Each code with its extra bits in one call (at most 15 + 5 and 15 + 13 bits): the same
        // bits in the same order as two calls, for half the calls.
        int length = token & 511;
        int distance = token >>> 9;
        int index = LENGTH_INDEX[length];
        int lengthBits = literalLengths[257 + index];
        out.bits(
            literalCodes[257 + index] | (length - LENGTH_BASE[index]) << lengthBits,
            lengthBits + LENGTH_EXTRA[index]);
        int code = distanceCode(distance);
        int distanceBits = distanceLengths[code];
        out.bits(
            distanceCodes[code] | (distance - DISTANCE_BASE[code]) << distanceBits,
            distanceBits + DISTANCE_EXTRA[code]);
      }
    }
    out.bits(literalCodes[END_OF_BLOCK], literalLengths[END_OF_BLOCK]);
  }

  private void writeStored(int from, int to, boolean last) {
    int position = from;
    do {
      int chunk = Math.min(65535, to - position);
      boolean final_ = last && position + chunk == to;
      out.bits(final_ ? 1 : 0, 1);
      out.bits(0, 2);
      out.alignToByte();
      out.bits(chunk | (~chunk << 16), 32);
      out.raw(window, position, chunk);
      position += chunk;
    } while (position < to);
  }

  private static int lastUsed(int[] lengths, int minimum) {
    int count = lengths.length;
    while (count > minimum && lengths[count - 1] == 0) {
      count--;
    }
    return count;
  }

  /**
   * Run-length codes {@code lengths[0, count)} with the code-length alphabet (16 repeats the
   * previous length 3-6 times, 17 and 18 repeat zero 3-10 and 11-138 times), appending to {@link
   * #codeLengthSymbols} from {@code at}; each entry is symbol | extra << 8.
   */
  private int runLengths(int[] lengths, int count, int at, int[] frequencies) {
    int i = 0;
    while (i < count) {
      int value = lengths[i];
      int run = 1;
      while (i + run < count && lengths[i + run] == value) {
        run++;
      }
      i += run;
      if (value == 0) {
        while (run >= 11) {
          int n = Math.min(run, 138);
          codeLengthSymbols[at++] = 18 | (n - 11) << 8;
          frequencies[18]++;
          run -= n;
        }
        if (run >= 3) {
          codeLengthSymbols[at++] = 17 | (run - 3) << 8;
          frequencies[17]++;
          run = 0;
        }
      } else {
        codeLengthSymbols[at++] = value;
        frequencies[value]++;
        run--;
        while (run >= 3) {
          int n = Math.min(run, 6);
          codeLengthSymbols[at++] = 16 | (n - 3) << 8;
          frequencies[16]++;
          run -= n;
        }
      }
      while (run-- > 0) {
        codeLengthSymbols[at++] = value;
        frequencies[value]++;
      }
    }
    return at;
  }
}
