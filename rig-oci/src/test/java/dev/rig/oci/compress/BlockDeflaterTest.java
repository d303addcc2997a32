package dev.rig.oci.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * rig's deflater against zlib's inflater (the reader every runtime uses in one form or another):
 * every kind of input comes back byte for byte, each block type is used where it should be, and the
 * Huffman codes stay within DEFLATE's length limits.
 */
class BlockDeflaterTest {
  private static final BlockDeflater.Settings SETTINGS = BlockDeflater.Settings.PINNED;

  /** Deflates in pieces of {@code piece} bytes, each primed with the 32 KiB before it. */
  private static byte[] deflate(byte[] input, int piece, BlockDeflater.Settings settings) {
    BlockDeflater deflater = new BlockDeflater(settings);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int offset = 0;
    do {
      int length = Math.min(piece, input.length - offset);
      byte[] dictionary =
          Arrays.copyOfRange(input, Math.max(0, offset - BlockDeflater.WINDOW), offset);
      byte[] block = Arrays.copyOfRange(input, offset, offset + length);
      offset += length;
      out.writeBytes(deflater.deflate(block, length, dictionary, offset == input.length));
    } while (offset < input.length);
    return out.toByteArray();
  }

  private static byte[] inflate(byte[] compressed, int expected) throws DataFormatException {
    Inflater inflater = new Inflater(true);
    inflater.setInput(compressed);
    byte[] out = new byte[expected + 1];
    int produced = 0;
    while (!inflater.finished()) {
      int n = inflater.inflate(out, produced, out.length - produced);
      produced += n;
      if (n == 0 && (inflater.needsInput() || produced == out.length)) {
        break;
      }
    }
    assertTrue(inflater.finished(), "the stream ends with a final block");
    assertEquals(0, inflater.getRemaining(), "no bytes after the final block");
    inflater.end();
    return Arrays.copyOf(out, produced);
  }

  private static void roundTrip(String what, byte[] input) throws DataFormatException {
    for (int piece : new int[] {input.length + 1, 100_000, 65_536, 4096}) {
      byte[] compressed = deflate(input, Math.max(1, piece), SETTINGS);
      assertArrayEquals(input, inflate(compressed, input.length), what + " in pieces of " + piece);
    }
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** Text-like: words from a vocabulary, numbers and punctuation, so every match length occurs. */
  private static byte[] text(int size, long seed) {
    Random random = new Random(seed);
    String[] words = {"the ", "layer ", "cuda", "driver", "\n", "0x", "tensor", "  ", "{", "}"};
    StringBuilder out = new StringBuilder();
    while (out.length() < size) {
      out.append(words[random.nextInt(words.length)]);
      if (random.nextInt(5) == 0) {
        out.append(random.nextInt(100_000));
      }
    }
    return out.substring(0, size).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  @Test
  void smallAndEdgeSizedInputsComeBack() throws DataFormatException {
    for (int size : new int[] {0, 1, 2, 3, 4, 5, 7, 8, 9, 257, 258, 259, 260, 65_535, 65_536}) {
      roundTrip("text of " + size, text(size, size));
      roundTrip("random of " + size, random(size, size));
      roundTrip("zeros of " + size, new byte[size]);
    }
  }

  @Test
  void largeMixedInputsComeBack() throws DataFormatException {
    ByteArrayOutputStream mixed = new ByteArrayOutputStream();
    mixed.writeBytes(text(300_000, 1));
    mixed.writeBytes(random(200_000, 2));
    mixed.writeBytes(new byte[150_000]);
    mixed.writeBytes(text(300_000, 1));
    byte[] period = random(37, 3);
    for (int i = 0; i < 20_000; i++) {
      mixed.write(period, 0, period.length);
    }
    roundTrip("mixed", mixed.toByteArray());
  }

  /**
   * Many generated inputs of every shape (small alphabets that skew the Huffman codes to their
   * length limits, copies at every distance, long runs, noise), each split at random points.
   */
  @Test
  void generatedInputsComeBack() throws DataFormatException {
    Random random = new Random(20261125);
    for (int round = 0; round < 250; round++) {
      ByteArrayOutputStream input = new ByteArrayOutputStream();
      int target = random.nextInt(round < 200 ? 20_000 : 300_000);
      while (input.size() < target) {
        switch (random.nextInt(5)) {
          case 0 -> {
            int alphabet = 1 + random.nextInt(random.nextBoolean() ? 3 : 40);
            for (int k = random.nextInt(5000); k > 0; k--) {
              // Geometric choice: a few symbols dominate, as in the deepest Huffman trees.
              input.write(
                  Math.min(alphabet, Integer.numberOfTrailingZeros(random.nextInt() | 1 << 30)));
            }
          }
          case 1 -> {
            byte[] sofar = input.toByteArray();
            if (sofar.length > 0) {
              int distance = 1 + random.nextInt(Math.min(sofar.length, 40_000));
              int length = 1 + random.nextInt(600);
              for (int k = 0; k < length; k++) {
                int from = input.size() - distance;
                input.write(from >= 0 && from < sofar.length ? sofar[from] : (byte) k);
              }
            }
          }
          case 2 -> input.writeBytes(new byte[random.nextInt(3000)]);
          case 3 -> input.writeBytes(random(random.nextInt(3000), random.nextLong()));
          default -> input.writeBytes(text(random.nextInt(4000), random.nextLong()));
        }
      }
      byte[] bytes = input.toByteArray();
      int piece = 1 + random.nextInt(Math.max(1, bytes.length));
      byte[] compressed = deflate(bytes, piece, SETTINGS);
      assertArrayEquals(bytes, inflate(compressed, bytes.length), "round " + round);
    }
  }

  @Test
  void matchesReachIntoTheDictionary() throws DataFormatException {
    byte[] half = random(20_000, 4);
    byte[] input = new byte[40_000];
    System.arraycopy(half, 0, input, 0, half.length);
    System.arraycopy(half, 0, input, half.length, half.length);
    byte[] whole = deflate(input, input.length, SETTINGS);
    byte[] split = deflate(input, 20_000, SETTINGS);
    assertArrayEquals(input, inflate(split, input.length));
    // The second half is one long run of matches into the first, whether or not it is a dictionary.
    assertTrue(
        split.length < 20_000 + 2_000, "second piece matched the dictionary: " + split.length);
    assertTrue(whole.length < 20_000 + 2_000, "whole: " + whole.length);
  }

  @Test
  void incompressibleInputIsStoredAndCompressibleInputShrinks() throws DataFormatException {
    byte[] noise = random(1 << 20, 5);
    byte[] stored = deflate(noise, noise.length, SETTINGS);
    // A stored block costs 5 bytes (one per 16384 tokens here); a Huffman block kept for noise
    // would cost far more than that.
    assertTrue(stored.length <= noise.length + 5 * 64 + 8, "stored size " + stored.length);
    byte[] words = text(1 << 20, 6);
    byte[] packed = deflate(words, words.length, SETTINGS);
    java.util.zip.Deflater zlib = new java.util.zip.Deflater(6, true);
    zlib.setInput(words);
    zlib.finish();
    byte[] buffer = new byte[words.length];
    int zlibSize = 0;
    while (!zlib.finished()) {
      zlibSize += zlib.deflate(buffer);
    }
    zlib.end();
    // Within 3% of zlib at level 6 (the size rig's gzip aims at).
    assertTrue(
        packed.length <= zlibSize * 1.03, packed.length + " bytes against zlib's " + zlibSize);
    assertArrayEquals(words, inflate(packed, words.length));
  }

  /** The pinned settings, but every position searched (the format before runs were skipped). */
  private static final BlockDeflater.Settings EVERY_POSITION =
      new BlockDeflater.Settings(
          SETTINGS.maxChain(),
          SETTINGS.niceLength(),
          SETTINGS.maxLazy(),
          SETTINGS.goodLength(),
          SETTINGS.blockTokens(),
          Integer.MAX_VALUE,
          SETTINGS.skipShift(),
          SETTINGS.maxSkip());

  /**
   * Positions in a long run without matches are passed over ({@link
   * BlockDeflater.Settings#skipAfter}); the text after such a run is searched at every position
   * again from its first match, so it costs about what it costs when every position is searched.
   */
  @Test
  void textAfterALongIncompressibleRunCompressesAsWhenEveryPositionIsSearched()
      throws DataFormatException {
    byte[] noise = random(400_000, 10);
    byte[] words = text(400_000, 11);
    byte[] both = new byte[noise.length + words.length];
    System.arraycopy(noise, 0, both, 0, noise.length);
    System.arraycopy(words, 0, both, noise.length, words.length);
    byte[] skipping = deflate(both, both.length, SETTINGS);
    byte[] searching = deflate(both, both.length, EVERY_POSITION);
    assertArrayEquals(both, inflate(skipping, both.length));
    assertTrue(
        skipping.length <= searching.length * 1.01,
        skipping.length + " bytes against " + searching.length);
  }

  @Test
  void skippingLeavesTextAsSmallAsSearchingEveryPosition() {
    byte[] words = text(1 << 20, 12);
    int skipping = deflate(words, words.length, SETTINGS).length;
    int searching = deflate(words, words.length, EVERY_POSITION).length;
    assertTrue(skipping <= searching * 1.001, skipping + " bytes against " + searching);
  }

  @Test
  void theOutputDependsOnlyOnTheInput() {
    byte[] input = text(500_000, 7);
    BlockDeflater reused = new BlockDeflater(SETTINGS);
    byte[] dictionary = random(BlockDeflater.WINDOW, 8);
    byte[] first = reused.deflate(random(300_000, 9), 300_000, new byte[0], false);
    byte[] a = reused.deflate(input, input.length, dictionary, false);
    byte[] b = new BlockDeflater(SETTINGS).deflate(input, input.length, dictionary, false);
    assertArrayEquals(a, b, "state left by an earlier block must not leak into the next");
    assertTrue(first.length > 0);
  }

  @Test
  void distanceCodesFollowTheRfcTable() {
    int[][] cases = {
      {1, 0},
      {4, 3},
      {5, 4},
      {6, 4},
      {7, 5},
      {8, 5},
      {9, 6},
      {12, 6},
      {13, 7},
      {24_577, 29},
      {32_768, 29},
      {16_384, 27},
      {16_385, 28}
    };
    for (int[] c : cases) {
      assertEquals(c[1], BlockDeflater.distanceCode(c[0]), "distance " + c[0]);
    }
  }

  @Test
  void huffmanLengthsRespectTheLimitAndFormACompleteCode() {
    // Fibonacci frequencies give the deepest possible tree: 30 symbols want lengths up to 29.
    int[] frequencies = new int[30];
    int a = 1;
    int b = 1;
    for (int i = 0; i < frequencies.length; i++) {
      frequencies[i] = a;
      int next = a + b;
      a = b;
      b = next;
    }
    for (int limit : new int[] {7, 15}) {
      int[] lengths = HuffmanCode.lengths(frequencies, frequencies.length, limit);
      double kraft = 0;
      for (int length : lengths) {
        assertTrue(length >= 1 && length <= limit, "length " + length + " within " + limit);
        kraft += Math.pow(2, -length);
      }
      assertEquals(1.0, kraft, 1e-12, "a complete prefix code");
      // More frequent symbols never get longer codes.
      for (int i = 1; i < lengths.length; i++) {
        assertTrue(lengths[i] <= lengths[i - 1]);
      }
    }
  }

  @Test
  void aCodeAlwaysHasTwoSymbols() {
    int[] none = new int[30];
    assertArrayEquals(new int[] {1, 1}, Arrays.copyOf(HuffmanCode.lengths(none, 30, 15), 2));
    int[] one = new int[30];
    one[7] = 100;
    int[] lengths = HuffmanCode.lengths(one, 30, 15);
    assertEquals(1, lengths[7]);
    assertEquals(1, lengths[0]);
    assertEquals(2, Arrays.stream(lengths).filter(l -> l != 0).count());
  }
}
