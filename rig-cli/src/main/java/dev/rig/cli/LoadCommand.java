package dev.rig.cli;

import dev.rig.build.Rig;
import dev.rig.build.load.ContainerRuntime;
import dev.rig.build.result.BuiltImage;
import dev.rig.build.result.LoadReport;
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
    try (CommandSession session = CommandSession.open(command, project, registry, project.quiet)) {
      Rig rig = session.rig();
      List<BuiltImage> images = rig.build(rig.load(project.spec()), names, project.locked);
      LoadReport report = rig.load(images, engine);
      session.endProgress();
      PrintWriter out = session.out();
      for (int i = 0; i < images.size(); i++) {
        LoadReport.Loaded loaded = report.images().get(i);
        out.println(
            loaded.name()
                + " "
                + images.get(i).digest()
                + " ("
                + (loaded.unchanged() ? "already in " : "loaded into ")
                + engine.kind()
                + ", image ID "
                + loaded.id()
                + ")");
      }
      out.flush();
    }
    return 0;
  }
}
