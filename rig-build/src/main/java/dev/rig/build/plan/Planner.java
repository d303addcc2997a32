package dev.rig.build.plan;

import dev.rig.build.cuda.CudaSetup;
import dev.rig.build.python.PythonStage;
import dev.rig.build.runtime.RuntimeLayer;
import dev.rig.oci.layer.LayerEntry;
import dev.rig.oci.layer.LayerInput;
import dev.rig.spec.ImageSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides everything about an image from its prepared inputs, reading nothing: the order of its
 * layers (packages, the Python venv, runtime, rig's base filesystem for an image from nothing,
 * home, copies) within the {@link LayerBudget}, its environment, entrypoint and the rest of its
 * config.
 */
public final class Planner {
  private Planner() {}

  /**
   * @throws IllegalArgumentException when the base and the other parts leave no layer for the
   *     copies
   */
  public static ImagePlan plan(PreparedImage prepared) {
    ImageSpec spec = prepared.spec();
    LayerBudget budget = LayerBudget.of(spec, prepared.baseLayers());
    // Packages bring their own filesystem (base-files, base-passwd); an image from nothing
    // without them gets rig's small base layer.
    boolean scratch = spec.from().isEmpty() && prepared.packageLayers().isEmpty();
    List<PreparedCopy> copies = prepared.copies();
    int forCopies =
        budget.forCopies(prepared.packageLayers().size() + prepared.pythonLayers().size(), scratch);
    List<LayerInput> layers = new ArrayList<>(prepared.packageLayers());
    layers.addAll(prepared.pythonLayers());
    prepared.runtime().ifPresent(layers::add);
    if (scratch && forCopies < 1 && (!copies.isEmpty() || prepared.home().isPresent())) {
      // maxLayers = 1: the base files, home and every copy share the image's only layer.
      List<LayerEntry> first = new ArrayList<>(BaseFilesystem.layer().entries());
      prepared.home().ifPresent(h -> first.addAll(h.entries()));
      layers.add(layer(first, copies));
    } else {
      if (!copies.isEmpty() && forCopies < 1) {
        throw new IllegalArgumentException(
            "image '"
                + spec.name()
                + "': its base already has "
                + prepared.baseLayers()
                + " layers, the maxLayers limit of "
                + spec.maxLayers()
                + " leaves none for copyToRoot (raise maxLayers)");
      }
      if (scratch) {
        layers.add(BaseFilesystem.layer());
      }
      prepared.home().ifPresent(layers::add);
      int separate = Math.min(copies.size(), forCopies);
      for (int i = 0; i < separate; i++) {
        List<PreparedCopy> group =
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
    // The venv first on PATH, for every process and (through rig-init's export) SSH sessions.
    Map<String, String> python = PythonStage.env(spec, spec.env());
    if (!python.isEmpty()) {
      env.replaceAll(
          entry ->
              entry.startsWith("PATH=")
                  ? "PATH=" + spec.python().venv() + "/bin:" + entry.substring("PATH=".length())
                  : entry);
      if (env.stream().noneMatch(entry -> entry.startsWith("PATH="))) {
        env.add("PATH=" + python.get("PATH"));
      }
      env.removeIf(entry -> entry.startsWith("VIRTUAL_ENV="));
      env.add("VIRTUAL_ENV=" + python.get("VIRTUAL_ENV"));
    }
    // rig-init runs the image unless the spec names its own entrypoint.
    List<String> entrypoint =
        spec.entrypoint().isEmpty() && spec.parts().runtime()
            ? RuntimeLayer.ENTRYPOINT
            : spec.entrypoint();
    return new ImagePlan(
        spec.name(),
        spec.tag(),
        spec.from(),
        List.copyOf(layers),
        List.copyOf(env),
        entrypoint,
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
  private static LayerInput layer(List<LayerEntry> first, List<PreparedCopy> copies) {
    Map<String, LayerEntry> byPath = new LinkedHashMap<>();
    first.forEach(entry -> byPath.put(entry.path(), entry));
    List<String> targets = new ArrayList<>();
    for (PreparedCopy copy : copies) {
      targets.add(copy.target());
      for (LayerEntry entry : copy.entries()) {
        byPath.remove(entry.path());
        byPath.put(entry.path(), entry);
      }
    }
    // History must not mention host paths: the image would change with the checkout's location.
    return new LayerInput(List.copyOf(byPath.values()), "copyToRoot " + String.join(" ", targets));
  }
}
