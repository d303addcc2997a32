package dev.rig.build.event;

import dev.rig.oci.event.OciEvent;
import dev.rig.oci.event.OciEventListener;
import java.util.concurrent.atomic.AtomicLong;

/**
 * rig-oci's events as rig's own: a damaged cache entry is a warning the user sees; blobs written to
 * an output are the progress of that phase. What a layer cost is not repeated here: {@code
 * LayerBuilder} returns it with the layer, and the builder reports it.
 */
public final class OciEvents {
  private OciEvents() {}

  /** Forwards {@code rig-oci}'s events for {@code scope}'s {@code phase} to {@code listener}. */
  public static OciEventListener to(BuildListener listener, String scope, BuildEvent.Phase phase) {
    AtomicLong written = new AtomicLong();
    return event -> {
      if (event instanceof OciEvent.CorruptCacheEntry corrupt) {
        listener.on(
            new BuildEvent.Notice(
                scope,
                "discarded a damaged cache entry "
                    + corrupt.path()
                    + " ("
                    + corrupt.problem()
                    + "); it is made again",
                true));
      } else if (event instanceof OciEvent.BlobWritten blob) {
        listener.on(
            new BuildEvent.PhaseProgress(
                scope, phase, written.addAndGet(blob.size()), 0, BuildEvent.Unit.BYTES, ""));
      }
    };
  }
}
