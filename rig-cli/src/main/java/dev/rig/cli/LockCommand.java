package dev.rig.cli;

import dev.rig.apt.lock.ImageLock;
import dev.rig.build.BaseImages;
import dev.rig.build.BuildSettings;
import dev.rig.build.event.BuildListener;
import dev.rig.build.packages.LockStore;
import dev.rig.build.packages.PackageStage;
import dev.rig.spec.BaseImageRef;
import dev.rig.spec.ImageSpec;
import dev.rig.spec.Project;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rig lock}: resolves the images' packages again and writes rig.lock. */
@Command(
    name = "lock",
    mixinStandardHelpOptions = true,
    description =
        "Resolves the packages of the named images (all by default) from the current indexes and"
            + " writes rig.lock next to the spec. Builds then install exactly what it lists.")
final class LockCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec command;

  @Mixin ProjectOptions project;

  @Mixin RegistryFlags registry;

  @Parameters(paramLabel = "NAME", arity = "0..*", description = "Images (default: all).")
  List<String> names = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    return LockRun.run(command, project, registry, names, LockStore.Mode.REFRESH, Set.of());
  }
}

/** What {@code rig lock} and {@code rig update} share: resolve, write, report. */
final class LockRun {
  private LockRun() {}

  static int run(
      picocli.CommandLine.Model.CommandSpec command,
      ProjectOptions project,
      RegistryFlags registry,
      List<String> names,
      LockStore.Mode mode,
      Set<String> moving)
      throws Exception {
    PrintWriter err = command.commandLine().getErr();
    PrintWriter out = command.commandLine().getOut();
    Project loaded = Specs.load(project.file);
    BuildSettings settings = ProjectBuild.settings(project);
    BuildListener progress = project.quiet ? Progress.silent() : Progress.to(err);
    LockStore locks = ProjectBuild.locks(loaded, mode, moving);
    PackageStage stage = ProjectBuild.packages(settings, locks, progress);
    BaseImages bases =
        ProjectBuild.bases(
            settings, registry.client(new RegistryProgress(err, project.quiet)), locks);
    for (ImageSpec image : Specs.select(loaded, names)) {
      if (image.from().orElse(null) instanceof BaseImageRef.RegistryRef ref
          && !ref.reference().contains("@")) {
        bases.load(image);
        out.println(image.name() + ": base " + ref.reference() + " locked");
      }
      if (image.packages().isEmpty()) {
        continue;
      }
      ImageLock lock = stage.lock(image);
      out.println(image.name() + ": " + lock.packages().size() + " packages locked");
    }
    locks.save();
    out.println("wrote " + locks.file());
    out.flush();
    return 0;
  }
}
