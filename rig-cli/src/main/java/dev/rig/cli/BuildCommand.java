package dev.rig.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rig.build.BuiltImage;
import dev.rig.build.event.BuildListener;
import dev.rig.build.output.ImageExporter;
import dev.rig.build.output.OutputTarget;
import dev.rig.registry.PushResult;
import dev.rig.registry.RegistryClient;
import dev.rig.spec.ImageSpec;
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
  Pushes.Format format;

  @Override
  public Integer call() throws Exception {
    List<ImageSpec> selected = Specs.select(Specs.load(project), names);
    CommandSession session =
        CommandSession.open(
            command,
            registry,
            project.quiet || json,
            push
                ? RegistryTargets.pushes(selected, Optional.empty())
                : RegistryTargets.pulls(selected));
    PrintWriter out = session.out();
    OutputTarget target =
        this.out == null
            ? new OutputTarget.OciLayout(Path.of("out").toAbsolutePath())
            : OutputTarget.parse(this.out, Path.of("").toAbsolutePath());
    BuildListener progress = session.progress();
    RegistryClient client = session.registry();
    List<BuiltImage> images = ProjectBuild.run(project, names, client, progress);
    new ImageExporter(progress).write(target, images);
    List<PushResult> pushed =
        push ? Pushes.push(client, Pushes.targets(images, Optional.empty()), format) : List.of();
    if (json) {
      out.println(toJson(images, target, pushed));
    } else {
      for (BuiltImage image : images) {
        out.println(image.reference() + " " + image.digest());
      }
      Pushes.print(out, pushed);
    }
    out.flush();
    return 0;
  }

  private static String toJson(
      List<BuiltImage> images, OutputTarget target, List<PushResult> pushed) throws Exception {
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
    }
    if (!pushed.isEmpty()) {
      Pushes.json(root.putArray("pushed"), pushed);
    }
    return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }
}
