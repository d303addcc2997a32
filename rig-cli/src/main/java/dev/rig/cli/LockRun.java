package dev.rig.cli;

import dev.rig.apt.lock.ImageLock;
import dev.rig.build.BaseImages;
import dev.rig.build.BuildSettings;
import dev.rig.build.event.BuildListener;
import dev.rig.build.home.GitHomes;
import dev.rig.build.packages.LockStore;
import dev.rig.build.packages.PackageStage;
import dev.rig.spec.BaseImageRef;
import dev.rig.spec.HomeSource;
import dev.rig.spec.ImageSpec;
import dev.rig.spec.Project;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;

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
    Project loaded = Specs.load(project);
    BuildSettings settings = ProjectBuild.settings(project);
    BuildListener progress = project.quiet ? Progress.silent() : Progress.to(err);
    LockStore locks = ProjectBuild.locks(loaded, mode, moving);
    PackageStage stage = ProjectBuild.packages(settings, locks, progress);
    BaseImages bases =
        ProjectBuild.bases(
            settings,
            registry.client(
                new RegistryProgress(err, project.quiet),
                RegistryTargets.pulls(Specs.select(loaded, names))),
            locks);
    GitHomes homes = ProjectBuild.homes(settings, locks, progress);
    for (ImageSpec image : Specs.select(loaded, names)) {
      if (image.home().orElse(null) instanceof HomeSource.Git git) {
        homes.resolve(image);
        out.println(image.name() + ": home " + git.url() + " (" + git.ref() + ") locked");
      }
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
