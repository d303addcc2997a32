package dev.rig.cli;

import dev.rig.build.BuiltImage;
import dev.rig.build.event.BuildListener;
import dev.rig.registry.RegistryClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
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

  @Option(
      names = "--runtime",
      paramLabel = "RUNTIME",
      description = "podman, docker or a path to either (default: podman, else docker).")
  String runtime;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = command.commandLine().getErr();
    PrintWriter out = command.commandLine().getOut();
    ContainerRuntime engine = ContainerRuntime.find(runtime, System.getenv("PATH"));
    BuildListener progress = project.quiet ? Progress.silent() : Progress.to(err);
    RegistryClient client = registry.client(new RegistryProgress(err, project.quiet));
    List<BuiltImage> images = ProjectBuild.run(project, names, client, progress);
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
