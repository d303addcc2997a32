package dev.rig.build.event;

import java.time.Duration;

/** Progress of a build, reported to a {@link BuildListener}; the CLI renders these. */
public sealed interface BuildEvent {

  /** The named image's plan is ready and its layers are about to be built. */
  record ImageStarted(String image, int layers) implements BuildEvent {}

  /**
   * One layer is ready. {@code reused} means the cache already had it: nothing was tarred or
   * compressed.
   */
  record LayerReady(
      String image,
      int index,
      int total,
      String createdBy,
      boolean reused,
      long bytes,
      Duration took)
      implements BuildEvent {}

  /** The image's config and manifest are written; {@code digest} is the manifest digest. */
  record ImageDone(String image, String reference, String digest, Duration took)
      implements BuildEvent {}

  /**
   * A step of installing packages: resolving, downloading, running maintainer scripts, or reusing a
   * cached result. {@code detail} is one human line.
   */
  record PackagesStep(String image, String step, String detail, Duration took)
      implements BuildEvent {}

  /**
   * An image's git home is ready at {@code commit}: checked out now, or {@code cached} from an
   * earlier build.
   */
  record HomeCheckedOut(String image, String url, String commit, boolean cached, Duration took)
      implements BuildEvent {}

  /** The images were written to an output target. */
  record OutputWritten(String target, Duration took) implements BuildEvent {}
}
