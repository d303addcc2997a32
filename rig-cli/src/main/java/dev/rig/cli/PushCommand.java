package dev.rig.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rig.build.BuiltImage;
import dev.rig.registry.PushResult;
import dev.rig.registry.RegistryClient;
import dev.rig.spec.ImageSpec;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rig push}: builds (from the cache) and pushes images to their registries. */
@Command(
    name = "push",
    mixinStandardHelpOptions = true,
    description =
        "Pushes images to every repository in their `registries`, or to --to REF. Blobs the"
            + " registry has are skipped, blobs in another repository of it are mounted.")
final class PushCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Mixin ProjectOptions project;

  @Mixin RegistryFlags registry;

  @Parameters(paramLabel = "NAME", arity = "0..*", description = "Images (default: all).")
  List<String> names = new ArrayList<>();

  @Option(
      names = "--to",
      paramLabel = "REF",
      description = "Push the one selected image here, REGISTRY/REPO[:TAG], instead.")
  String to;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "oci",
      description = "Manifest format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Pushes.Format format;

  @Option(names = "--json", description = "Print the results as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    List<ImageSpec> selected = Specs.select(Specs.load(project), names);
    CommandSession session =
        CommandSession.open(
            command,
            registry,
            project.quiet || json,
            RegistryTargets.pushes(selected, Optional.ofNullable(to)));
    PrintWriter out = session.out();
    RegistryClient client = session.registry();
    List<PushResult> results;
    try {
      List<BuiltImage> images = ProjectBuild.run(project, names, client, session.progress());
      results = Pushes.push(client, Pushes.targets(images, Optional.ofNullable(to)), format);
    } finally {
      // Done with registries: stopping the HTTP client spares the JVM 0.3 s at exit.
      client.close();
    }
    if (json) {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode root = mapper.createObjectNode();
      Pushes.json(root.putArray("pushed"), results);
      out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    } else {
      Pushes.print(out, results);
    }
    out.flush();
    return 0;
  }
}
