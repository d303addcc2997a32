package dev.rig.build.plan;

import dev.rig.build.cuda.CudaSetup;
import dev.rig.build.home.HomeLayer;
import dev.rig.oci.layer.Content;
import dev.rig.oci.layer.HostTree;
import dev.rig.oci.layer.LayerEntry;
import dev.rig.oci.layer.LayerInput;
import dev.rig.spec.CopyToRoot;
import dev.rig.spec.ImageSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns an image spec into a plan. Each {@code copyToRoot} entry gets a layer of its own while the
 * {@code maxLayers} budget allows, so that changing one entry leaves the others' layers (and their
 * cache entries and registry blobs) untouched; entries past the budget share the last layer.
 */
public final class Planner {
  private Planner() {}

  /**
   * Plans {@code spec} on top of a base that already has {@code baseLayers} layers. An image
   * without a base starts with {@link BaseFilesystem}'s layer.
   *
   * @throws IllegalArgumentException when the base alone uses up the layer budget
   */
  public static ImagePlan plan(ImageSpec spec, int baseLayers) {
    return plan(spec, baseLayers, List.of());
  }

  /**
   * How many layers {@code copyToRoot} (and the home layer) keep for themselves when packages share
   * the budget: one per copy up to ten, so a project with many copies still leaves room for
   * packages, and one for home.
   */
  public static int copyLayersReserved(ImageSpec spec) {
    return Math.min(spec.copyToRoot().size(), 10) + (HomeLayer.applies(spec) ? 1 : 0);
  }

  /**
   * Plans {@code spec} with {@code packageLayers} (already split within the budget) between the
   * base and the copies. Packages bring their own filesystem (base-files, base-passwd), so rig's
   * small base layer is left out then.
   */
  public static ImagePlan plan(ImageSpec spec, int baseLayers, List<LayerInput> packageLayers) {
    boolean scratch = spec.from().isEmpty() && packageLayers.isEmpty();
    List<CopyToRoot> copies = spec.copyToRoot();
    Optional<LayerInput> home = HomeLayer.layer(spec);
    int budget =
        spec.maxLayers()
            - baseLayers
            - packageLayers.size()
            - (scratch ? 1 : 0)
            - (home.isPresent() ? 1 : 0);
    List<LayerInput> layers = new ArrayList<>(packageLayers);
    if (scratch && budget < 1 && (!copies.isEmpty() || home.isPresent())) {
      // maxLayers = 1: the base files, home and every copy share the image's only layer.
      List<LayerEntry> first = new ArrayList<>(BaseFilesystem.layer().entries());
      home.ifPresent(h -> first.addAll(h.entries()));
      layers.add(layer(first, copies));
    } else {
      if (!copies.isEmpty() && budget < 1) {
        throw new IllegalArgumentException(
            "image '"
                + spec.name()
                + "': its base already has "
                + baseLayers
                + " layers, the maxLayers limit of "
                + spec.maxLayers()
                + " leaves none for copyToRoot (raise maxLayers)");
      }
      if (scratch) {
        layers.add(BaseFilesystem.layer());
      }
      home.ifPresent(layers::add);
      int separate = Math.min(copies.size(), budget);
      for (int i = 0; i < separate; i++) {
        List<CopyToRoot> group =
            i < separate - 1 ? List.of(copies.get(i)) : copies.subList(i, copies.size());
        layers.add(layer(List.of(), group));
      }
    }
    // Without a base image the layers are the whole image, so a CUDA bin directory it lacks is
    // known to be missing; a base image's files are not known here, and its PATH is kept.
    boolean dropCudaBin =
        spec.from().isEmpty() && !new LayerTree(layers).isDirectory(CudaSetup.BIN);
    List<String> env = new ArrayList<>();
    spec.env()
        .forEach(
            (name, value) ->
                env.add(
                    name
                        + "="
                        + (dropCudaBin && name.equals("PATH")
                            ? CudaSetup.pathWithoutBin(value)
                            : value)));
    CudaSetup.env(spec).forEach((name, value) -> env.add(name + "=" + value));
    return new ImagePlan(
        spec.name(),
        spec.tag(),
        spec.from(),
        List.copyOf(layers),
        List.copyOf(env),
        spec.entrypoint(),
        spec.cmd(),
        spec.workingDir(),
        spec.user(),
        spec.exposedPorts(),
        spec.labels());
  }

  /**
   * One layer holding {@code first} and then {@code copies}; a later entry for the same path wins,
   * as with successive COPY instructions.
   */
  private static LayerInput layer(List<LayerEntry> first, List<CopyToRoot> copies) {
    Map<String, LayerEntry> byPath = new LinkedHashMap<>();
    first.forEach(entry -> byPath.put(entry.path(), entry));
    List<String> targets = new ArrayList<>();
    for (CopyToRoot copy : copies) {
      targets.add(copy.target());
      for (LayerEntry entry : entries(copy)) {
        byPath.remove(entry.path());
        byPath.put(entry.path(), entry);
      }
    }
    // History must not mention host paths: the image would change with the checkout's location.
    return new LayerInput(List.copyOf(byPath.values()), "copyToRoot " + String.join(" ", targets));
  }

  private static List<LayerEntry> entries(CopyToRoot copy) {
    Path source = copy.source();
    if (Files.isDirectory(source)) {
      try {
        // A symlink naming a directory is copied as that directory's contents, as cp -r does.
        return HostTree.entries(
            source.toRealPath(), copy.target(), copy.mode(), copy.uid(), copy.gid());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
      }
    }
    int mode = copy.mode().orElseGet(() -> hostMode(source));
    return List.of(
        LayerEntry.file(copy.target(), Content.ofFile(source), mode, copy.uid(), copy.gid()));
  }

  private static int hostMode(Path file) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      int mode = 0;
      for (PosixFilePermission permission : permissions) {
        mode |= 1 << (8 - permission.ordinal());
      }
      return mode;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the permissions of " + file, e);
    }
  }
}
