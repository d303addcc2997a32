package dev.rig.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rig.build.BuildSettings;
import dev.rig.build.BuiltImage;
import dev.rig.build.ImageBuilder;
import dev.rig.build.event.BuildListener;
import dev.rig.build.output.ImageExporter;
import dev.rig.build.output.OutputTarget;
import dev.rig.oci.compress.Compression;
import dev.rig.spec.ImageSpec;
import dev.rig.spec.Project;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "The spec (default: rig.pkl, rig.yaml, rig.yml or rig.json here).")
  Path file;

  @Parameters(paramLabel = "NAME", arity = "0..*", description = "Images to build (default: all).")
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
      names = "--compression",
      paramLabel = "ALGORITHM",
      description = "Layer compression: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
      defaultValue = "gzip",
      converter = CompressionOption.class)
  Compression compression;

  @Option(
      names = "--cache",
      paramLabel = "DIR",
      description = "Cache directory (default: $RIG_CACHE or ~/.cache/rig).")
  Path cache;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print no progress, only the results.")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = command.commandLine().getErr();
    PrintWriter out = command.commandLine().getOut();
    Project project = Specs.load(file);
    List<ImageSpec> selected = Specs.select(project, names);
    OutputTarget target =
        this.out == null
            ? new OutputTarget.OciLayout(Path.of("out").toAbsolutePath())
            : OutputTarget.parse(this.out, Path.of("").toAbsolutePath());
    BuildSettings settings =
        new BuildSettings(CacheDir.resolve(cache), compression, SourceDateEpoch.fromEnvironment());
    BuildListener progress = quiet || json ? Progress.silent() : Progress.to(err);
    List<BuiltImage> images = new ArrayList<>();
    ImageBuilder builder = new ImageBuilder(settings, progress);
    for (ImageSpec image : selected) {
      images.add(builder.build(image));
    }
    new ImageExporter(progress).write(target, images);
    if (json) {
      out.println(toJson(images, target));
    } else {
      for (BuiltImage image : images) {
        out.println(image.reference() + " " + image.digest());
      }
    }
    out.flush();
    return 0;
  }

  private static String toJson(List<BuiltImage> images, OutputTarget target) throws Exception {
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
    return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }
}
