package dev.rig.build.event;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
   * The output already holds the image as a build of these inputs makes it (the build memo knew
   * them): nothing was planned, installed or layered. {@code layers} counts the image's own layers.
   */
  record ImageUpToDate(String image, String reference, String digest, int layers, Duration took)
      implements BuildEvent {}

  /**
   * An image's git home is ready at {@code commit}: checked out now, or {@code cached} from an
   * earlier build.
   */
  record HomeCheckedOut(String image, String url, String commit, boolean cached, Duration took)
      implements BuildEvent {}

  /**
   * An image installs packages on a base image, and this is what the base is.
   *
   * @param reference the base as the build used it (pinned to a digest when from a registry)
   * @param system what the base's /etc/os-release calls it, e.g. "Debian GNU/Linux 13 (trixie)"
   * @param packages how many packages its dpkg database has installed
   * @param fromBase the packages rig would install (the spec's and the runtime's) that the base has
   *     already, as "NAME VERSION": rig uses them as they are unless a request needs a newer one
   */
  record BaseInspected(
      String image,
      String reference,
      String system,
      int packages,
      List<String> fromBase,
      Duration took)
      implements BuildEvent {
    public BaseInspected {
      fromBase = List.copyOf(fromBase);
    }
  }

  /** The steps of the pipeline, in the order a build goes through them. */
  enum Phase {
    SPEC("spec"),
    BASE("base"),
    RESOLVE("resolve"),
    DOWNLOAD("download"),
    UNPACK("unpack"),
    INSTALL("install"),
    HOME("home"),
    LAYERS("layers"),
    EXPORT("export"),
    PUSH("push"),
    LOAD("load"),
    VM("vm");

    private final String label;

    Phase(String label) {
      this.label = label;
    }

    /** The phase as the command line and --json name it. */
    public String label() {
      return label;
    }
  }

  /** What a progress count counts. */
  enum Unit {
    BYTES,
    ITEMS
  }

  /**
   * A phase began for {@code scope} (an image's name, or the project for project-wide work).
   *
   * @param total what it will count to, in {@code unit}, or 0 when unknown
   */
  record PhaseStarted(String scope, Phase phase, long total, Unit unit, String detail)
      implements BuildEvent {}

  /** Work done so far in a running phase: {@code done} of {@code total} {@code unit}. */
  record PhaseProgress(String scope, Phase phase, long done, long total, Unit unit, String item)
      implements BuildEvent {}

  /**
   * A phase ended.
   *
   * @param count how many things it handled (packages, layers, blobs)
   * @param bytes how many bytes it moved or wrote (0 when none or not counted)
   * @param cached whether the cache served it whole (nothing fetched, run or compressed)
   * @param summary one human line for the plain renderer
   */
  record PhaseDone(
      String scope,
      Phase phase,
      Duration took,
      long count,
      long bytes,
      boolean cached,
      String summary)
      implements BuildEvent {
    /** A phase that ran (not served by the cache), timed from {@code startNanos} to now. */
    public static PhaseDone ran(
        String scope, Phase phase, long startNanos, long count, long bytes, String summary) {
      return new PhaseDone(
          scope,
          phase,
          Duration.ofNanos(System.nanoTime() - startNanos),
          count,
          bytes,
          false,
          summary);
    }
  }

  /**
   * Something a user should see that is no phase: credentials found, a blob sent, a choice made
   * ({@code warning} false), or a retry, a fallback, anything a quiet run still shows ({@code
   * warning} true).
   */
  record Notice(String scope, String text, boolean warning) implements BuildEvent {}

  /**
   * The build of image {@code scope} used the cache entry at {@code entry} (a configured root, an
   * install stage, a checkout): the facade lists it in the image's usage record, so that {@code rig
   * cache gc} keeps it while the image is among the recently built. Nothing to render.
   */
  record CacheUsed(String scope, Path entry) implements BuildEvent {}

  /**
   * {@code rig vm run} chose how to boot image {@code image}: the hypervisor, whether with KVM, and
   * why ({@code reasons}, in the order they were decided).
   */
  record VmHypervisorChosen(String image, String hypervisor, boolean kvm, List<String> reasons)
      implements BuildEvent {
    public VmHypervisorChosen {
      reasons = List.copyOf(reasons);
    }
  }

  /**
   * One check of the GPU passthrough preflight: {@code subject} ("IOMMU", "driver of
   * 0000:65:00.0"), whether it passed, what was found, and the commands that fix it.
   */
  record VmPreflightChecked(
      String image, String subject, boolean passed, String detail, List<String> fix)
      implements BuildEvent {
    public VmPreflightChecked {
      fix = List.copyOf(fix);
    }
  }
}
