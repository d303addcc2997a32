package dev.rig.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rig.build.RegistryAccess;
import dev.rig.build.Rig;
import dev.rig.build.output.OutputTarget;
import dev.rig.build.push.ImagePushes;
import dev.rig.build.result.BuiltImage;
import dev.rig.build.result.LayerReport;
import dev.rig.build.result.PhaseTime;
import dev.rig.build.result.PushedImage;
import dev.rig.build.result.UpToDateImage;
import dev.rig.spec.Project;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rig build}: builds the named images of a project and writes them to one target. */
@Command(
    name = "build",
    mixinStandardHelpOptions = true,
    description = "Builds images from rig.pkl (or rig.yaml / rig.json).")
final class BuildCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Mixin ProjectOptions project;

  @Mixin RegistryFlags registry;

  @Parameters(paramLabel = "NAME", arity = "0..*", description = "Images (default: all).")
  List<String> names = new ArrayList<>();

  @Option(
      names = "--out",
      paramLabel = "TARGET",
      description =
          "oci:DIR, oci-archive:FILE or docker-archive:FILE (default: oci:out, in the current directory).")
  String out;

  @Option(names = "--json", description = "Print the results as JSON.")
  boolean json;

  @Option(
      names = "--push",
      description = "Also push each image to the repositories in its `registries`.")
  boolean push;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "oci",
      description =
          "Manifest format for --push: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  ImagePushes.Format format;

  /**
   * The exit code of a {@code --up-to-date-probe} run that found something to build: the launcher
   * then runs the same command in a JVM set up for heavy work (EX_TEMPFAIL, "try again").
   */
  static final int PROBE_MISSED = 75;

  @Option(
      names = "--up-to-date-probe",
      hidden = true,
      description =
          "For the launcher: finish only when the output already holds every image (a warm"
              + " rebuild); else show nothing and exit "
              + PROBE_MISSED
              + ".")
  boolean probe;

  @Override
  public Integer call() throws Exception {
    if (!probe) {
      return build();
    }
    if (json || push) {
      return PROBE_MISSED;
    }
    try {
      return build();
    } catch (Exception e) {
      // The build in the next process meets the same problem and reports it.
      return PROBE_MISSED;
    }
  }

  private int build() throws Exception {
    OutputTarget target =
        this.out == null
            ? new OutputTarget.OciLayout(Path.of("out").toAbsolutePath())
            : OutputTarget.parse(this.out, Path.of("").toAbsolutePath());
    RegistryAccess access = push ? registry.access().pushing(Optional.empty()) : registry.access();
    try (CommandSession session =
        CommandSession.open(command, project, access, project.quiet || json, probe)) {
      Rig rig = session.rig();
      Project spec = rig.load(project.spec());
      // A rebuild with nothing changed: the output already holds every image (JSON and pushes
      // report per layer and per registry, so they take the full path).
      Optional<List<UpToDateImage>> fresh =
          json || push ? Optional.empty() : rig.upToDate(spec, names, target);
      if (probe && fresh.isEmpty()) {
        return PROBE_MISSED;
      }
      session.replay();
      if (fresh.isPresent()) {
        session.endProgress();
        PrintWriter out = session.out();
        for (UpToDateImage image : fresh.get()) {
          out.println(image.reference() + " " + image.digest());
        }
        out.flush();
        return 0;
      }
      List<BuiltImage> images = rig.build(spec, names, project.locked);
      rig.export(spec, images, target, project.locked);
      List<PushedImage> pushed = push ? rig.push(images, Optional.empty(), format) : List.of();
      session.endProgress();
      PrintWriter out = session.out();
      if (json) {
        out.println(toJson(images, target, pushed, rig.phases()));
      } else {
        for (BuiltImage image : images) {
          out.println(image.reference() + " " + image.digest());
        }
        PushLines.print(out, pushed);
      }
      out.flush();
    }
    return 0;
  }

  private static String toJson(
      List<BuiltImage> images,
      OutputTarget target,
      List<PushedImage> pushed,
      List<PhaseTime> phases)
      throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("output", target.describe());
    ArrayNode array = root.putArray("images");
    for (BuiltImage image : images) {
      ObjectNode node = array.addObject();
      node.put("name", image.name());
      node.put("tag", image.tag());
      node.put("reference", image.reference());
      node.put("digest", image.digest());
      node.put("size", image.size());
      ObjectNode layers = node.putObject("layers");
      layers.put("total", image.layerCount());
      layers.put("reused", image.layersReused());
      layers.put("built", image.layersBuilt());
      ArrayNode own = layers.putArray("own");
      for (LayerReport layer : image.layers()) {
        ObjectNode l = own.addObject();
        l.put("index", layer.index());
        l.put("createdBy", layer.createdBy());
        l.put("origin", layer.origin());
        l.put("digest", layer.digest());
        l.put("bytes", layer.bytes());
        l.put("seconds", layer.took().toNanos() / 1e9);
      }
    }
    if (!pushed.isEmpty()) {
      PushLines.json(root.putArray("pushed"), pushed);
    }
    PushLines.phases(root.putArray("phases"), phases);
    return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }
}
