package dev.rig.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rig.build.result.PhaseTime;
import dev.rig.build.result.PushedImage;
import java.io.PrintWriter;
import java.util.List;

/** How pushes and phase timings are printed: one line per push, or JSON. */
final class PushLines {
  private PushLines() {}

  static void print(PrintWriter out, List<PushedImage> results) {
    for (PushedImage r : results) {
      out.println(
          r.reference()
              + "@"
              + r.digest()
              + "  "
              + (r.blobsUploaded() == 0
                  ? "no blob uploaded"
                  : "uploaded "
                      + r.blobsUploaded()
                      + " blob(s), "
                      + Progress.bytes(r.bytesUploaded()))
              + ", "
              + r.blobsMounted()
              + " mounted, "
              + r.blobsSkipped()
              + " already there ("
              + Progress.seconds(r.took())
              + ")");
    }
  }

  static void json(ArrayNode array, List<PushedImage> results) {
    for (PushedImage r : results) {
      ObjectNode node = array.addObject();
      node.put("reference", r.reference());
      node.put("digest", r.digest());
      node.put("blobsUploaded", r.blobsUploaded());
      node.put("blobsMounted", r.blobsMounted());
      node.put("blobsSkipped", r.blobsSkipped());
      node.put("bytesUploaded", r.bytesUploaded());
    }
  }

  /** Every finished phase: which image (or "project"), which phase, how long, how much. */
  static void phases(ArrayNode array, List<PhaseTime> phases) {
    for (PhaseTime phase : phases) {
      ObjectNode node = array.addObject();
      node.put("scope", phase.scope());
      node.put("phase", phase.phase());
      node.put("seconds", phase.took().toNanos() / 1e9);
      node.put("count", phase.count());
      node.put("bytes", phase.bytes());
      node.put("cached", phase.cached());
    }
  }
}
