package dev.rig.oci.compress;

import java.util.Arrays;

/**
 * Length-limited canonical Huffman codes for DEFLATE, made only from symbol frequencies, so the
 * same frequencies always give the same code (ties are broken by symbol number).
 *
 * <p>Lengths come from the classic two-queue Huffman construction; when a length exceeds the limit,
 * the per-length counts are rebalanced with the JPEG (ITU T.81, annex K.3) procedure, which keeps
 * the code complete, and the lengths are handed out again in frequency order. Every code made here
 * has at least two symbols, because zlib's inflater rejects an incomplete code-length code and
 * DEFLATE needs a distance code even when a block has no match.
 */
final class HuffmanCode {
  /** Code length per symbol, 0 for an unused symbol. */
  final int[] lengths;

  /** Canonical code per symbol, already bit-reversed for DEFLATE's LSB-first bit order. */
  final int[] codes;

  private HuffmanCode(int[] lengths, int[] codes) {
    this.lengths = lengths;
    this.codes = codes;
  }

  static HuffmanCode of(int[] frequencies, int symbols, int maxLength) {
    int[] lengths = lengths(frequencies, symbols, maxLength);
    return new HuffmanCode(lengths, canonicalCodes(lengths, maxLength));
  }

  /** The code DEFLATE's fixed-Huffman blocks use for literals and lengths (RFC 1951, 3.2.6). */
  static HuffmanCode fixedLiterals() {
    int[] lengths = new int[288];
    Arrays.fill(lengths, 0, 144, 8);
    Arrays.fill(lengths, 144, 256, 9);
    Arrays.fill(lengths, 256, 280, 7);
    Arrays.fill(lengths, 280, 288, 8);
    return new HuffmanCode(lengths, canonicalCodes(lengths, 15));
  }

  /** The fixed-Huffman distance code: 5 bits for each of the 30 codes. */
  static HuffmanCode fixedDistances() {
    int[] lengths = new int[30];
    Arrays.fill(lengths, 5);
    return new HuffmanCode(lengths, canonicalCodes(lengths, 15));
  }

  static int[] lengths(int[] frequencies, int symbols, int maxLength) {
    int[] lengths = new int[symbols];
    // Used symbols sorted by (frequency, symbol): the order both the tree and the hand-out use.
    long[] keyed = new long[symbols];
    int used = 0;
    for (int s = 0; s < symbols; s++) {
      if (frequencies[s] > 0) {
        keyed[used++] = ((long) frequencies[s] << 16) | s;
      }
    }
    // At least two symbols, as zlib does: the lowest unused symbols with a frequency of one.
    for (int s = 0; used < 2 && s < symbols; s++) {
      if (frequencies[s] == 0) {
        keyed[used++] = (1L << 16) | s;
      }
    }
    Arrays.sort(keyed, 0, used);
    long[] weight = new long[2 * used];
    int[] parent = new int[2 * used];
    for (int i = 0; i < used; i++) {
      weight[i] = keyed[i] >>> 16;
    }
    // Two queues: leaves in weight order, then internal nodes, which are made in weight order too.
    int leaf = 0;
    int node = used;
    int next = used;
    for (int made = 0; made < used - 1; made++) {
      int a = (leaf < used && (node >= next || weight[leaf] <= weight[node])) ? leaf++ : node++;
      int b = (leaf < used && (node >= next || weight[leaf] <= weight[node])) ? leaf++ : node++;
      weight[next] = weight[a] + weight[b];
      parent[a] = next;
      parent[b] = next;
      next++;
    }
    int root = next - 1;
    int[] depth = new int[next];
    int[] count = new int[Math.max(maxLength, used) + 2];
    for (int n = root - 1; n >= 0; n--) {
      depth[n] = depth[parent[n]] + 1;
    }
    int longest = 0;
    for (int i = 0; i < used; i++) {
      count[depth[i]]++;
      longest = Math.max(longest, depth[i]);
    }
    for (int i = longest; i > maxLength; i--) {
      while (count[i] > 0) {
        int j = i - 2;
        while (count[j] == 0) {
          j--;
        }
        count[i] -= 2;
        count[i - 1] += 1;
        count[j + 1] += 2;
        count[j] -= 1;
      }
    }
    // The most frequent symbols get the shortest lengths.
    int symbol = used - 1;
    for (int length = 1; length <= Math.min(longest, maxLength); length++) {
      for (int k = 0; k < count[length]; k++) {
        lengths[(int) (keyed[symbol--] & 0xffff)] = length;
      }
    }
    return lengths;
  }

  private static int[] canonicalCodes(int[] lengths, int maxLength) {
    int[] perLength = new int[maxLength + 1];
    for (int length : lengths) {
      perLength[length]++;
    }
    perLength[0] = 0;
    int[] nextCode = new int[maxLength + 2];
    int code = 0;
    for (int bits = 1; bits <= maxLength; bits++) {
      code = (code + perLength[bits - 1]) << 1;
      nextCode[bits] = code;
    }
    int[] codes = new int[lengths.length];
    for (int s = 0; s < lengths.length; s++) {
      int length = lengths[s];
      if (length != 0) {
        codes[s] = Integer.reverse(nextCode[length]++) >>> (32 - length);
      }
    }
    return codes;
  }
}
