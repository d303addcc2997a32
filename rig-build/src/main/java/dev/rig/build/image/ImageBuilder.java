package dev.rig.build.image;

import dev.rig.build.base.BaseImages;
import dev.rig.build.base.ResolvedBase;
import dev.rig.build.event.BuildEvent;
import dev.rig.build.event.BuildListener;
import dev.rig.build.event.OciEvents;
import dev.rig.build.home.HomeLayer;
import dev.rig.build.packages.PackageStage;
import dev.rig.build.plan.HostFiles;
import dev.rig.build.plan.ImagePlan;
import dev.rig.build.plan.LayerBudget;
import dev.rig.build.plan.Planner;
import dev.rig.build.plan.PreparedImage;
import dev.rig.build.python.PythonStage;
import dev.rig.build.result.BuiltImage;
import dev.rig.build.result.LayerReport;
import dev.rig.build.runtime.RuntimeLayer;
import dev.rig.build.sbom.ImageInventory;
import dev.rig.build.sbom.InventoryReader;
import dev.rig.build.sbom.PythonWheel;
import dev.rig.oci.cache.BlobCache;
import dev.rig.oci.cache.LayerBuilder;
import dev.rig.oci.event.OciEventListener;
import dev.rig.oci.image.AssembledImage;
import dev.rig.oci.image.BuiltLayer;
import dev.rig.oci.image.ImageAssembler;
import dev.rig.oci.image.ImageConfig;
import dev.rig.oci.image.Platform;
import dev.rig.oci.io.Tasks;
import dev.rig.oci.layer.LayerInput;
import dev.rig.registry.model.ImageReference;
import dev.rig.spec.ImageSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Builds images: plans each spec, builds its layers through the cache (in parallel, one layer per
 * core), and assembles config and manifest. Nothing is written outside the cache; outputs are the
 * {@link dev.rig.build.output.ImageExporter}'s job.
 */
public final class ImageBuilder {
  private final BuildSettings settings;
  private final BuildListener listener;
  private final LayerBuilder layers;
  private final BaseImages bases;
  private final Optional<PackageStage> packages;
  private final Optional<PythonStage> python;

  public ImageBuilder(BuildSettings settings, BuildListener listener) throws IOException {
    this(settings, listener, BaseImages.localOnly());
  }

  public ImageBuilder(BuildSettings settings, BuildListener listener, BaseImages bases)
      throws IOException {
    this(settings, listener, bases, Optional.empty());
  }

  /**
   * @param packages installs the spec's packages; without it, a spec with packages is an error
   */
  public ImageBuilder(
      BuildSettings settings,
      BuildListener listener,
      BaseImages bases,
      Optional<PackageStage> packages)
      throws IOException {
    this(settings, listener, bases, packages, Optional.empty());
  }

  /**
   * @param python makes the spec's Python venv; without it, a spec with one is an error
   */
  public ImageBuilder(
      BuildSettings settings,
      BuildListener listener,
      BaseImages bases,
      Optional<PackageStage> packages,
      Optional<PythonStage> python)
      throws IOException {
    this.python = python;
    this.settings = settings;
    this.bases = bases;
    this.packages = packages;
    this.listener = listener;
    OciEventListener oci = OciEvents.to(listener, "cache", BuildEvent.Phase.LAYERS);
    BlobCache cache = BlobCache.open(settings.cacheDir(), oci);
    this.layers = new LayerBuilder(cache, settings.created(), oci);
  }

  public BuiltImage build(ImageSpec spec) throws IOException {
    long start = System.nanoTime();
    ResolvedBase base = bases.load(spec);
    int packageBudget =
        spec.parts().packages()
            ? LayerBudget.of(spec, base.layerCount()).forPackages(spec.name())
            : 0;
    try (LayersAhead ahead = new LayersAhead(layers, settings.compression(), packageBudget)) {
      return build(spec, base, ahead, start);
    }
  }

  private BuiltImage build(ImageSpec spec, ResolvedBase base, LayersAhead ahead, long start)
      throws IOException {
    PreparedImage prepared = prepare(spec, base, ahead);
    ImagePlan plan = Planner.plan(prepared);
    listener.on(new BuildEvent.ImageStarted(plan.name(), plan.layers().size()));
    long layersStart = System.nanoTime();
    listener.on(
        new BuildEvent.PhaseStarted(
            plan.name(), BuildEvent.Phase.LAYERS, plan.layers().size(), BuildEvent.Unit.ITEMS, ""));
    List<LayerOutcome> outcomes = buildLayers(plan);
    List<BuiltLayer> built = outcomes.stream().map(LayerOutcome::layer).toList();
    List<LayerReport> reports = outcomes.stream().map(LayerOutcome::report).toList();
    AssembledImage image =
        ImageAssembler.assemble(
            base.image(), built, config(spec, plan, BaseImages.platform(spec.platform())));
    long bytes = reports.stream().mapToLong(LayerReport::bytes).sum();
    long reused = reports.stream().filter(LayerReport::reused).count();
    long early = outcomes.stream().filter(LayerOutcome::ahead).count();
    listener.on(
        new BuildEvent.PhaseDone(
            plan.name(),
            BuildEvent.Phase.LAYERS,
            since(layersStart),
            reports.size(),
            bytes,
            reused == reports.size(),
            reports.size()
                + " layer(s), "
                + reused
                + " from the cache"
                + (early == 0 ? "" : ", " + early + " built while the packages installed")));
    BuiltImage result =
        new BuiltImage(
            plan.name(),
            plan.tag(),
            image,
            reports,
            base.registrySource(),
            spec.registries(),
            inventory(spec, prepared, plan, base));
    listener.on(
        new BuildEvent.ImageDone(plan.name(), result.reference(), result.digest(), since(start)));
    return result;
  }

  /** Everything planning needs that takes I/O: packages installed, host files read. */
  private PreparedImage prepare(ImageSpec spec, ResolvedBase base, LayersAhead ahead)
      throws IOException {
    List<LayerInput> packageLayers = List.of();
    List<LayerInput> pythonLayers = List.of();
    Optional<Path> java = Optional.empty();
    if (spec.parts().packages()) {
      if (packages.isEmpty()) {
        throw new IllegalStateException(
            "image '" + spec.name() + "' lists packages, and this build was set up without them");
      }
      int budget = ahead.budget();
      PackageStage.InstalledWithJava both = packages.get().installWithJava(spec, budget, ahead);
      ahead.installed();
      PackageStage.Installed installed = both.installed();
      packageLayers = installed.layers();
      java = both.java();
      if (spec.python().enable()) {
        if (python.isEmpty()) {
          throw new IllegalStateException(
              "image '"
                  + spec.name()
                  + "' has a Python venv, and this build was set up without it");
        }
        pythonLayers =
            python
                .get()
                .layers(spec, installed.root().orElseThrow(), installed.lock().orElseThrow());
      }
    }
    return new PreparedImage(
        spec,
        base.layerCount(),
        packageLayers,
        pythonLayers,
        spec.parts().runtime() ? Optional.of(RuntimeLayer.layer(spec, java)) : Optional.empty(),
        HomeLayer.layer(spec),
        HostFiles.read(spec));
  }

  /** What the SBOM lists: read from the planned layers and the image's locks. */
  private ImageInventory inventory(
      ImageSpec spec, PreparedImage prepared, ImagePlan plan, ResolvedBase base)
      throws IOException {
    boolean withPackages = spec.parts().packages() && packages.isPresent();
    ImageInventory inventory =
        InventoryReader.read(
            prepared,
            plan.layers(),
            withPackages ? Optional.of(packages.get().lock(spec)) : Optional.empty(),
            withPackages ? packages.get().tools(spec) : Optional.empty(),
            base.image(),
            InventoryReader.origin(
                spec.from(), base.registrySource().map(ImageReference::toString)),
            settings.hostFiles());
    if (!withPackages || !spec.python().enable() || python.isEmpty()) {
      return inventory;
    }
    String venv = spec.python().venv();
    return inventory.withWheels(
        python.get().locked(spec, packages.get().lock(spec)).wheels().stream()
            .map(w -> new PythonWheel(w.name(), w.version(), venv, Optional.of(w.sha256())))
            .toList());
  }

  private ImageConfig config(ImageSpec spec, ImagePlan plan, Platform platform) {
    return ImageConfig.builder(settings.created())
        .os(platform.os())
        .architecture(platform.architecture())
        .env(plan.env())
        .entrypoint(plan.entrypoint())
        .cmd(plan.cmd())
        .workingDir(plan.workingDir())
        .user(plan.user())
        .exposedPorts(plan.exposedPorts())
        .labels(plan.labels())
        .build();
  }

  /**
   * @param ahead built while the packages installed
   */
  private record LayerOutcome(BuiltLayer layer, LayerReport report, boolean ahead) {}

  private List<LayerOutcome> buildLayers(ImagePlan plan) throws IOException {
    int total = plan.layers().size();
    done.set(0);
    int threads = Math.max(1, Math.min(total, Runtime.getRuntime().availableProcessors()));
    ExecutorService pool = Tasks.daemonPool("rig-layer", threads);
    try {
      // The largest layers start first, so that no big layer is left to run alone at the end
      // while the other cores idle; the outcomes stay in the plan's order.
      List<Future<LayerOutcome>> futures = new ArrayList<>(Collections.nCopies(total, null));
      for (int i : LayerSizes.largestFirst(plan.layers())) {
        int index = i + 1;
        LayerInput input = plan.layers().get(i);
        futures.set(i, pool.submit(() -> buildLayer(plan.name(), index, total, input)));
      }
      List<LayerOutcome> outcomes = new ArrayList<>();
      for (Future<LayerOutcome> future : futures) {
        outcomes.add(Tasks.await(future, "building layers"));
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  private LayerOutcome buildLayer(String image, int index, int total, LayerInput input)
      throws IOException {
    long start = System.nanoTime();
    LayerBuilder.Outcome outcome = layers.buildReporting(input, settings.compression());
    BuiltLayer layer = outcome.layer();
    boolean reused = outcome.origin() == LayerBuilder.Origin.CACHED;
    Duration took = since(start);
    int finished = done.incrementAndGet();
    listener.on(
        new BuildEvent.PhaseProgress(
            image, BuildEvent.Phase.LAYERS, finished, total, BuildEvent.Unit.ITEMS, ""));
    listener.on(
        new BuildEvent.LayerReady(
            image, index, total, input.createdBy(), reused, layer.blob().size(), took));
    return new LayerOutcome(
        layer,
        new LayerReport(
            index,
            input.createdBy(),
            outcome.origin().name().toLowerCase(java.util.Locale.ROOT),
            layer.blob().digest().toString(),
            layer.blob().size(),
            took),
        outcome.ahead());
  }

  /** Layers finished in the current image, for progress. */
  private final java.util.concurrent.atomic.AtomicInteger done =
      new java.util.concurrent.atomic.AtomicInteger();

  static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
