package dev.rig.cli;

import dev.rig.build.BuiltImage;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rig load}: builds (from the cache) and loads images into podman or docker. */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = "Loads images into podman or docker, streaming them (no archive file).")
final class LoadCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Mixin ProjectOptions project;

  @Mixin RegistryFlags registry;

  @Parameters(paramLabel = "NAME", arity = "0..*", description = "Images (default: all).")
  List<String> names = new ArrayList<>();

  @Mixin RuntimeOption runtime;

  @Override
  public Integer call() throws Exception {
    ContainerRuntime engine = runtime.find();
    CommandSession session =
        CommandSession.open(
            command,
            registry,
            project.quiet,
            RegistryTargets.pulls(Specs.select(Specs.load(project), names)));
    PrintWriter out = session.out();
    List<BuiltImage> images =
        ProjectBuild.run(project, names, session.registry(), session.progress());
    new ImageLoader(engine).load(images);
    for (BuiltImage image : images) {
      out.println(
          engine.loadedName(image.reference())
              + " "
              + image.digest()
              + " (loaded into "
              + engine.kind()
              + ")");
    }
    out.flush();
    return 0;
  }
}
