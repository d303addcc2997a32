package dev.rig.build.image;

import dev.rig.oci.layer.EntryType;
import dev.rig.oci.layer.LayerEntry;
import dev.rig.oci.layer.LayerInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** How much file content each layer holds, to schedule the largest layers first. */
final class LayerSizes {
  private LayerSizes() {}

  /**
   * The indexes of {@code layers}, largest first by {@link #estimate}; layers of equal size keep
   * their order.
   */
  static List<Integer> largestFirst(List<LayerInput> layers) {
    long[] sizes = new long[layers.size()];
    List<Integer> order = new ArrayList<>(layers.size());
    for (int i = 0; i < layers.size(); i++) {
      sizes[i] = estimate(layers.get(i));
      order.add(i);
    }
    order.sort(Comparator.comparingLong((Integer i) -> sizes[i]).reversed());
    return order;
  }

  /**
   * The bytes of file content in {@code input} (one stat per file). A file that cannot be read
   * counts as empty: the build reports it, the estimate only orders the work.
   */
  static long estimate(LayerInput input) {
    long total = 0;
    for (LayerEntry entry : input.entries()) {
      if (entry.type() == EntryType.FILE) {
        try {
          total += entry.content().size();
        } catch (IOException e) {
          // Left to the build, which reads the file and says what is wrong with it.
        }
      }
    }
    return total;
  }
}
