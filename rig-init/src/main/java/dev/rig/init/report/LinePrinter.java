package dev.rig.init.report;

import java.nio.charset.StandardCharsets;

/**
 * The one printer at the edge: {@code rig-init: source: text}, with WARNING/ERROR in front when it
 * matters. It writes through the same {@link OutputSink} as service logs, so its lines never
 * interleave with theirs mid-line.
 */
public final class LinePrinter implements Reporter {
  private static final byte[] NO_PREFIX = new byte[0];
  private final OutputSink sink;

  public LinePrinter(OutputSink sink) {
    this.sink = sink;
  }

  @Override
  public void report(Event e) {
    String level =
        switch (e.level()) {
          case INFO -> "";
          case WARN -> "WARNING: ";
          case ERROR -> "ERROR: ";
        };
    byte[] b =
        ("rig-init: " + e.source() + ": " + level + e.text()).getBytes(StandardCharsets.UTF_8);
    sink.line(NO_PREFIX, b, 0, b.length);
  }
}
