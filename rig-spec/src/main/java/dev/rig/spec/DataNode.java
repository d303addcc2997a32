package dev.rig.spec;

import java.util.List;

/** A value of a YAML or JSON spec with the line it starts on, for error messages. */
sealed interface DataNode {
  int line();

  /** A string, number (Long, BigInteger, Double), boolean or null. */
  record Scalar(Object value, int line) implements DataNode {}

  record MapNode(List<Entry> entries, int line) implements DataNode {
    public MapNode {
      entries = List.copyOf(entries);
    }
  }

  record Entry(String key, int line, DataNode value) {}

  record ListNode(List<DataNode> items, int line) implements DataNode {
    public ListNode {
      items = List.copyOf(items);
    }
  }
}
